// A built site served as Netlify serves it, on 127.0.0.1, for tests/test_hosts.py.
//
// Netlify's own code reads the rules: @netlify/redirect-parser and @netlify/headers-parser
// parse _redirects and _headers (as the Netlify CLI does), and netlify-redirector, the rule
// engine behind `netlify dev`, matches each request. Around the engine, the request chain
// follows Netlify's documentation:
//   - a rule whose path has a file is shadowed by the file, unless it is forced ("302!");
//   - a 301/302 passes the request's query string on to the destination;
//   - a path with no rule and no file gets the site's 404.html with status 404;
//   - _headers applies to what is served from the site's files.
// One assumption that no short link depends on: a folder asked for without its trailing
// slash (/de) is answered with a 301 to /de/, as most static hosts do.
//
//   node netlify.mjs parse SITE   prints {"redirects": [...], "headers": [...], "errors": [...]}
//   node netlify.mjs serve SITE   prints {"port": N, "errors": [...]} once listening

import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { extname, join, resolve, sep } from "node:path";

import { parseAllHeaders } from "@netlify/headers-parser";
import { parseAllRedirects } from "@netlify/redirect-parser";

const redirector = createRequire(import.meta.url)("netlify-redirector");

const TYPES = {
  ".html": "text/html; charset=UTF-8", ".css": "text/css; charset=UTF-8",
  ".js": "application/javascript; charset=UTF-8", ".json": "application/json",
  ".xml": "application/xml", ".txt": "text/plain; charset=UTF-8", ".png": "image/png",
  ".svg": "image/svg+xml", ".ico": "image/x-icon", ".gz": "application/gzip",
  ".webmanifest": "application/manifest+json",
};

async function parse(site) {
  const redirects = await parseAllRedirects({
    redirectsFiles: [join(site, "_redirects")], configRedirects: [], minimal: true });
  const headers = await parseAllHeaders({
    headersFiles: [join(site, "_headers")], configHeaders: [], minimal: true });
  return { redirects: redirects.redirects, headers: headers.headers,
           errors: [...redirects.errors, ...headers.errors].map(String) };
}

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

// "/kontakt/*" => /^\/kontakt\/.*$/; ":name" matches one path segment.
function headerPattern(path) {
  const escaped = path.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped.replace(/\*/g, ".*").replace(/:[a-z]+/gi, "[^/]+")}$`);
}

// What a path names in the site folder: a file, a folder to add a slash to, or nothing.
async function lookup(site, path) {
  const file = resolve(site, "." + path);
  if (file !== site && !file.startsWith(site + sep)) return { kind: "none" };
  if (path.endsWith("/")) {
    return (await isFile(join(file, "index.html")))
      ? { kind: "file", file: join(file, "index.html") } : { kind: "none" };
  }
  if (await isFile(file)) return { kind: "file", file };
  if (await isFile(join(file, "index.html"))) return { kind: "slash" };
  return { kind: "none" };
}

async function serve(site) {
  const parsed = await parse(site);
  // The engine takes the parser's rules under the names the Netlify CLI gives them.
  const rules = parsed.redirects.map(({ from, query, ...rule }) => (
    { ...rule, path: from, params: query }));
  const matcher = await redirector.parseJSON(JSON.stringify(rules), {});
  const headerRules = parsed.headers.map((rule) => [headerPattern(rule.for), rule.values]);

  async function send(res, requestPath, status, file, method) {
    const body = await readFile(file);
    const headers = { "Content-Type": TYPES[extname(file)] || "application/octet-stream",
                      "Content-Length": body.length };
    for (const [pattern, values] of headerRules) {
      if (pattern.test(requestPath)) Object.assign(headers, values);
    }
    res.writeHead(status, headers);
    res.end(method === "HEAD" ? undefined : body);
  }

  function redirect(res, status, location) {
    res.writeHead(status, { Location: location, "Content-Length": 0 });
    res.end();
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://localhost");
      const path = decodeURIComponent(url.pathname);
      const query = url.search.slice(1);
      const found = await lookup(site, path);
      const rule = matcher.match({
        scheme: "http", host: "localhost", path, query,
        getHeader: (name) => req.headers[name.toLowerCase()] || "", getCookie: () => "",
      });
      if (rule && (rule.force || found.kind === "none")) {
        if (rule.status >= 300 && rule.status < 400) {
          return redirect(res, rule.status, rule.to + (query ? `?${query}` : ""));
        }
        const target = await lookup(site, rule.to);
        if (target.kind === "file") return send(res, path, rule.status, target.file, req.method);
      }
      if (found.kind === "file") return send(res, path, 200, found.file, req.method);
      if (found.kind === "slash") return redirect(res, 301, `${url.pathname}/${url.search}`);
      return send(res, path, 404, join(site, "404.html"), req.method);
    } catch (error) {
      res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(String(error));
    }
  });
  server.listen(0, "127.0.0.1", () => {
    console.log(JSON.stringify({ port: server.address().port, errors: parsed.errors }));
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

const [command, siteArg] = process.argv.slice(2);
const site = resolve(siteArg || ".");
if (command === "parse") {
  console.log(JSON.stringify(await parse(site)));
} else if (command === "serve") {
  await serve(site);
} else {
  console.error("usage: node netlify.mjs parse|serve SITE");
  process.exit(2);
}
