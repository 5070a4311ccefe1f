"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.offlineLandingPagePlugin = offlineLandingPagePlugin;
exports.renderLandingPageHtml = renderLandingPageHtml;
/**
 * Apollo Server plugin that replaces Apollo's default landing page (which loads Apollo Sandbox
 * from a CDN) with a small self-contained page linking to Hookline's own GraphiQL, so opening
 * `/graphql` in a browser works on a machine with no internet.
 */
function offlineLandingPagePlugin(options = {}) {
    const html = renderLandingPageHtml(options.graphiqlPath ?? '/graphiql');
    return {
        async serverWillStart() {
            return {
                async renderLandingPage() {
                    return { html };
                },
            };
        },
    };
}
/** The landing page's HTML: no scripts and no external resources, locked down by its own CSP. */
function renderLandingPageHtml(graphiqlPath) {
    const href = escapeHtml(graphiqlPath);
    // Apollo writes the landing page response itself, so the policy travels in a meta tag.
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Hookline GraphQL API</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 42rem; margin: 4rem auto; padding: 0 1rem; color: #1b1f24; }
  h1 { font-size: 1.6rem; margin-bottom: .25rem; }
  a.button { display: inline-block; margin: 1rem 0; padding: .6rem 1.2rem; border-radius: 6px; background: #e10098; color: #fff; text-decoration: none; font-weight: 600; }
  code, pre { font-family: ui-monospace, monospace; font-size: .9em; background: #f3f4f6; border-radius: 4px; }
  code { padding: .1em .3em; }
  pre { padding: .8rem 1rem; overflow-x: auto; }
</style>
</head>
<body>
<h1>Hookline GraphQL API</h1>
<p>This is the GraphQL endpoint. Send queries and mutations with <code>POST</code>; subscribe over
WebSocket (<code>graphql-transport-ws</code>) on this same path.</p>
<a class="button" href="${href}">Open GraphiQL</a>
<p>Authenticate with an API key in the <code>Authorization</code> header. In GraphiQL, paste it into
the <em>Headers</em> editor:</p>
<pre>{"Authorization": "Bearer hk_live_…"}</pre>
<p>Over WebSocket, send the same value as <code>connectionParams.authorization</code>.</p>
</body>
</html>
`;
}
function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
