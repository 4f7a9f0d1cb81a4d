import type { TopCategory } from './demo-catalog';

/** The demo catalog as data, supplies; the line format is described in demo-tree-hardware.ts. */
export const SUPPLIES: TopCategory[] = [
  {
    name: 'Electrical',
    skuPrefix: 'ELE',
    unspsc: '26121600',
    brands: ['Linkwell', 'Luminor', 'Voltaro'],
    subs: {
      Cables: [
        'Installation cable|Installation cable H07V-U|Installation cable H07V-U|solid copper|1.5 mm²,2.5 mm²,4 mm²,6 mm²,10 mm²,16 mm²|colour=blue,brown,black,grey,green-yellow|M:100,500',
        'Flexible cable|Flexible cable H05VV-F|Flexible cable H05VV-F|PVC|2x0.75,2x1.0,3G0.75,3G1.0,3G1.5,3G2.5,4G1.5,5G1.5,5G2.5|colour=white,black,grey|M:50,100',
        'Rubber cable|Rubber cable H07RN-F|Rubber cable H07RN-F|neoprene|3G1.5,3G2.5,4G2.5,5G1.5,5G2.5,5G4,5G6,5G10||M:50,100',
      ],
      'Connectors & terminals': [
        'Lever connectors||Lever connector|~type=compact;inline|2-way,3-way,5-way|range=0.2-4 mm²,0.5-6 mm²|BOX:50,100',
        'Cable lugs|Tubular cable lugs|Tubular cable lug|tinned copper;plain copper|6 mm²,10 mm²,16 mm²,25 mm²,35 mm²,50 mm²,70 mm²,95 mm²|stud=M6,M8,M10,M12|PK:10,50',
        'Ferrules|Insulated ferrules|Insulated ferrule|DIN colour code;French colour code|0.5 mm²,0.75 mm²,1.0 mm²,1.5 mm²,2.5 mm²,4 mm²,6 mm²,10 mm²,16 mm²|length=8 mm,10 mm,12 mm|BOX:100,500',
      ],
      'Cable management': [
        'Cable ties||Cable tie|natural nylon;UV black nylon|2.5x100,2.5x160,3.6x140,3.6x200,3.6x290,4.8x200,4.8x300,4.8x390,7.6x370,7.6x540,9.0x780||PK:100,500,1000',
        'Cable trunking||Cable trunking|~PVC white;PVC grey|16x16,25x16,40x25,40x40,60x40,60x60,100x60|lengthMm=x2000|EA',
        'Conduit|Corrugated conduit|Corrugated conduit|~grey PVC;black polyamide|16 mm,20 mm,25 mm,32 mm,40 mm||M:25,50',
        'Heat shrink|Heat shrink tubing|Heat shrink tubing|2:1 polyolefin;3:1 adhesive lined|1.6 mm,2.4 mm,3.2 mm,4.8 mm,6.4 mm,9.5 mm,12.7 mm,19.0 mm,25.4 mm|colour=black,red,blue,yellow,clear|M:1,10',
      ],
      Lighting: [
        'LED panels||LED panel|~type=UGR<19;standard optic|600x600,1200x300,1200x600|cct=3000 K,4000 K,6500 K|EA',
        'LED tubes|LED tubes T8|LED tube T8|~diffuser=frosted;clear|600 mm 9 W,1200 mm 18 W,1500 mm 22 W|cct=3000 K,4000 K,6500 K|PK:10',
        'Floodlights|LED floodlights|LED floodlight|~type=IP65;IP65 with sensor|10 W,20 W,30 W,50 W,100 W,150 W,200 W|cct=4000 K,6500 K|EA',
        'Work lights|LED work lights|LED work light|~supply=rechargeable;corded|500 lm,1000 lm,2000 lm,4000 lm||EA',
      ],
    },
  },
  {
    name: 'Plumbing',
    skuPrefix: 'PLU',
    unspsc: '40141700',
    brands: ['Aquaflux', 'Pressline', 'Hydrotek'],
    subs: {
      Fittings: [
        'Press fittings|Copper press fittings|Copper press fitting|copper;gunmetal|12 mm,15 mm,18 mm,22 mm,28 mm,35 mm,42 mm,54 mm|type=coupling,elbow 90°,elbow 45°,equal tee,reducer,end cap|EA',
        'Compression fittings|Brass compression fittings|Brass compression fitting|brass;chrome-plated brass|10 mm,12 mm,15 mm,22 mm,28 mm|type=coupling,elbow,tee,stop end,male adaptor|EA',
        'Threaded fittings|Malleable iron fittings|Malleable iron fitting|black;galvanised|1/4",3/8",1/2",3/4",1",1 1/4",1 1/2",2"|type=socket,elbow,tee,nipple,plug|EA',
      ],
      Valves: [
        'Ball valves||Ball valve|~type=brass lever handle;brass butterfly handle;stainless lever handle|1/4",3/8",1/2",3/4",1",1 1/4",1 1/2",2"|ends=female-female,male-female|EA',
        'Check valves||Spring check valve|~brass;stainless|1/2",3/4",1",1 1/4",1 1/2",2"||EA',
        'Gate valves||Gate valve|~brass;cast iron flanged|1/2",3/4",1",1 1/4",1 1/2",2",DN65,DN80,DN100||EA',
      ],
      'Pipes & hoses': [
        'Multilayer pipe|Multilayer pipes PE-RT/AL/PE-RT|Multilayer pipe PE-RT/AL/PE-RT|~type=bare;pre-insulated|16x2,20x2,26x3,32x3|coil=coil 50 m,coil 100 m,coil 200 m|EA',
        'Copper pipe|Copper pipes EN 1057|Copper pipe EN 1057|~type=half-hard R250;soft coil R220|diameterMm=10,12,15,18,22,28,35,42|wallMm=x0.7,x1.0|M',
        'PVC pipe|PVC drain pipes|PVC drain pipe|~colour=grey;white|diameterMm=32,40,50,75,110|lengthMm=x1000,x2000,x3000|EA',
        'Hoses|Industrial water hoses|Industrial water hose|~reinforced PVC;rubber|1/2",3/4",1"|length=25 m,50 m|EA',
      ],
      'Seals & tapes': [
        'PTFE tape||PTFE thread seal tape|~type=standard density;gas-rated|12 mm x 12 m,19 mm x 15 m||PK:10',
        'Fibre washers||Fibre washer|~aramid fibre|3/8",1/2",3/4",1",1 1/4",1 1/2"||PK:50,100',
        'O-rings|O-rings|O-ring|NBR 70;FKM 75|5x1.5,6x1.5,8x2,10x2,12x2,14x2,15x2.5,18x2.5,20x2.5,22x3,25x3,28x3,30x3,35x3.5,40x3.5,45x3.5,50x3.5||PK:25,100',
      ],
    },
  },
  {
    name: 'Adhesives & sealants',
    skuPrefix: 'ADH',
    unspsc: '31201600',
    brands: ['Colltec', 'Sealmaster', 'Fixana'],
    subs: {
      Sealants: [
        'Silicone sealants||Silicone sealant|sanitary;neutral cure;high temperature|290 ml,310 ml,600 ml sausage|colour=transparent,white,grey,black,beige|EA',
        'Hybrid polymer sealants||Hybrid polymer sealant|~MS polymer;SMP|290 ml,600 ml sausage|colour=white,grey,black|EA',
        'Acrylic sealants||Acrylic sealant|~type=paintable;fire-rated|310 ml|colour=white,grey|EA',
      ],
      Adhesives: [
        'Construction adhesives||Construction adhesive|~type=solvent-free;high tack|290 ml,310 ml||EA',
        'Cyanoacrylate adhesives||Cyanoacrylate adhesive|~type=general purpose;gel;low odour|3 g,20 g,50 g,500 g||EA',
        'Epoxy adhesives|Two-part epoxy adhesives|Two-part epoxy adhesive|~type=5-minute;structural|25 ml,50 ml,400 ml||EA',
      ],
      'Threadlockers & retainers': [
        'Threadlockers||Threadlocker|~type=medium strength;high strength;low strength|10 ml,50 ml,250 ml||EA',
        'Retaining compounds||Retaining compound|~type=high strength;high temperature|10 ml,50 ml,250 ml||EA',
        'Thread sealants||Pipe thread sealant|~type=anaerobic|50 ml,250 ml||EA',
      ],
      'Foams & tapes': [
        'PU foams|Polyurethane foams|Polyurethane foam|~type=gun grade;hand held;fire-rated B1|500 ml,750 ml||PK:12',
        'Double-sided tapes||Double-sided tape|~type=foam;acrylic transparent|9 mm x 10 m,12 mm x 10 m,19 mm x 10 m,25 mm x 25 m||EA',
        'Duct tapes||Duct tape|~type=standard;heavy duty|48 mm x 25 m,48 mm x 50 m|colour=silver,black,white|PK:6,24',
        'Masking tapes||Masking tape|~type=general purpose;precision washi|19 mm x 50 m,25 mm x 50 m,38 mm x 50 m,50 mm x 50 m||PK:6,36',
      ],
    },
  },
  {
    name: 'Material handling',
    skuPrefix: 'MAT',
    unspsc: '24101600',
    brands: ['Cargolift', 'Stackwell', 'Liftex'],
    subs: {
      Storage: [
        'Storage bins|Stackable storage bins|Stackable storage bin|~polypropylene|size 1,size 2,size 3,size 4,size 5,size 6|colour=blue,red,yellow,green,grey|PK:10',
        'Shelving units||Boltless shelving unit|~galvanised;powder-coated blue|1800x900x400,1800x1200x500,2000x1000x600|shelves=4 shelves,5 shelves|EA',
        'Drawer cabinets||Drawer cabinet|~steel|600 mm,800 mm,1000 mm|drawers=5 drawers,8 drawers,12 drawers|EA',
      ],
      'Lifting & lashing': [
        'Round slings||Round lifting sling|~polyester|1 t,2 t,3 t,4 t,5 t,6 t,8 t,10 t|length=1 m,1.5 m,2 m,3 m,4 m,5 m,6 m|EA',
        'Ratchet straps||Ratchet strap|~type=one-piece;two-piece|25 mm x 5 m,35 mm x 6 m,50 mm x 8 m,50 mm x 10 m|capacity=500 daN,2000 daN,2500 daN|EA',
        'Shackles|Bow shackles|Bow shackle|galvanised;stainless|0.5 t,0.75 t,1 t,1.5 t,2 t,3.25 t,4.75 t,6.5 t,8.5 t||EA',
        'Chain hoists|Manual chain hoists|Manual chain hoist|~type=standard|0.5 t,1 t,2 t,3 t,5 t|lift=3 m lift,6 m lift|EA',
      ],
      Transport: [
        'Hand trucks||Hand truck|~type=solid tyres;pneumatic tyres|150 kg,250 kg,350 kg||EA',
        'Platform trolleys||Platform trolley|~steel;folding aluminium|300 kg,500 kg|deck=900x600 deck,1200x800 deck|EA',
        'Pallet trucks||Pallet truck|~type=manual;low-profile|2000 kg,2500 kg|forks=1150x540 forks,1150x685 forks|EA',
      ],
      Packaging: [
        'Stretch film||Stretch film|~cast clear;cast black|17 µm,20 µm,23 µm|width=450 mm,500 mm|PK:6',
        'Packing tape||Packing tape|~polypropylene;PVC|48 mm x 66 m,50 mm x 66 m,75 mm x 66 m|colour=clear,brown|PK:36',
        'Cardboard boxes||Shipping box|~type=single wall;double wall|200x150x100,300x200x200,400x300x300,600x400x400||PK:25,100',
      ],
    },
  },
  {
    name: 'Cleaning & hygiene',
    skuPrefix: 'CLE',
    unspsc: '47131800',
    brands: ['Purelia', 'Clearwise', 'Hygena'],
    subs: {
      'Wipers & paper': [
        'Industrial paper rolls||Industrial paper roll|~type=2-ply;3-ply|blue,white|sheets=500 sheets,1000 sheets|PK:2,6',
        'Wiping cloths||Wiping cloth|~non-woven;microfibre|32x38 cm,38x40 cm|colour=blue,white,red,green|PK:50,500',
        'Hand towels|Folded hand towels|Folded hand towel|~type=2-ply;1-ply recycled|Z-fold,C-fold||BOX:3000,4000',
      ],
      Chemicals: [
        'Degreasers|Industrial degreasers|Industrial degreaser|~type=solvent-based;water-based;food-safe|1 L,5 L,20 L||L',
        'Floor cleaners||Floor cleaner|~type=neutral;alkaline heavy duty|1 L,5 L,10 L||L',
        'Disinfectants|Surface disinfectants|Surface disinfectant|~type=alcohol-based;quaternary ammonium|750 ml spray,1 L,5 L||EA',
      ],
      'Hand care': [
        'Hand cleaners||Hand cleaner|~type=with pumice;citrus solvent-free;foam|250 ml,2 L,4 L||EA',
        'Barrier creams||Barrier cream|~type=water-resistant;oil-resistant|100 ml,1 L||EA',
        'Dispensers|Soap dispensers|Soap dispenser|~type=manual;touch-free|1 L,2 L,4 L|colour=white,grey|EA',
      ],
      'Spill control & waste': [
        'Absorbent pads||Absorbent pad|~type=universal;oil-only;chemical|40x50 cm|weight=light,heavy|PK:100,200',
        'Absorbent granules||Absorbent granule|~mineral;organic|5 kg,10 kg,20 kg||KG',
        'Waste bags||Waste sack|~LDPE;recycled LDPE|60 L,120 L,240 L|colour=black,clear,blue|PK:50,250',
      ],
    },
  },
];
