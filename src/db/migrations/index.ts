import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { RestFaces1764100000000 } from './1764100000000-rest-faces';

/** Every migration, oldest first (imported, not globbed, so ts and compiled js behave the same). */
export const MIGRATIONS = [InitialSchema1763900000000, RestFaces1764100000000];
