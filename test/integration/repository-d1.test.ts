import { env } from 'cloudflare:test';
import { createDatabase } from '../../src/db/client';
import { defineRepositoryContract } from '../contract/repository-contract';

defineRepositoryContract('D1 (workerd)', () => createDatabase(env));
