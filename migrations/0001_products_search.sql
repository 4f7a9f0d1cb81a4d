-- Full-text search over the catalog. Trigram tokenizer: substring matches on SKUs and part names
-- (e.g. "M8x4" inside "DIN 933 M8x40"), identical on D1 and libSQL. Kept in step by triggers.
CREATE VIRTUAL TABLE `products_fts` USING fts5(sku, name, description, brand, content='products', content_rowid='rowid', tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER `products_fts_ai` AFTER INSERT ON `products` BEGIN
  INSERT INTO products_fts(rowid, sku, name, description, brand) VALUES (new.rowid, new.sku, new.name, new.description, new.brand);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_ad` AFTER DELETE ON `products` BEGIN
  INSERT INTO products_fts(products_fts, rowid, sku, name, description, brand) VALUES ('delete', old.rowid, old.sku, old.name, old.description, old.brand);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_au` AFTER UPDATE ON `products` BEGIN
  INSERT INTO products_fts(products_fts, rowid, sku, name, description, brand) VALUES ('delete', old.rowid, old.sku, old.name, old.description, old.brand);
  INSERT INTO products_fts(rowid, sku, name, description, brand) VALUES (new.rowid, new.sku, new.name, new.description, new.brand);
END;
