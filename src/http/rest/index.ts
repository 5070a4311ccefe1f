import express, { Router } from 'express';
import type { WebhookTester } from '../../delivery/test-webhook';
import type { Logger } from '../../logger';
import type { Services } from '../../services';
import { faceRouter } from './face';
import { OPENAPI_DOCUMENT } from './openapi';
import { talkoverFace, talkoverRoutes } from './talkover';
import { topcallsFace, topcallsRoutes } from './topcalls';

/** The seed REST faces and their OpenAPI document: /v1 (TopCalls), /api/v1 (Talkover), /openapi.json. */
export function restRouter(opts: { services: Services; log: Logger; tester?: WebhookTester; maxBodyBytes: number }): Router {
  const { services, log, tester, maxBodyBytes } = opts;
  const router = express.Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(OPENAPI_DOCUMENT);
  });
  router.use('/v1', faceRouter(topcallsFace, services, log, maxBodyBytes, topcallsRoutes(services)));
  router.use('/api/v1', faceRouter(talkoverFace, services, log, maxBodyBytes, talkoverRoutes(services, tester)));
  return router;
}
