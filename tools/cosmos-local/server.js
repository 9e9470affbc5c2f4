#!/usr/bin/env node
"use strict";

// Local in-memory Cosmos DB for tests: @vercel/cosmosdb-server plus the fixes
// the .NET SDK (Microsoft.Azure.Cosmos, gateway mode) needs. See README.md.
//
// Usage: node server.js [--port 8081] [--host 127.0.0.1] [--exit-on-stdin-close]

const crypto = require("crypto");

const LIB = "@vercel/cosmosdb-server/lib";
try {
  require.resolve(`${LIB}/index`);
} catch (err) {
  process.stderr.write(`cosmos-local: ${err.message}\nRun \`npm ci\` in ${__dirname} first.\n`);
  process.exit(1);
}
const { createHttpsServer } = require(`${LIB}/index`);
const routesModule = require(`${LIB}/routes`);
const Items = require(`${LIB}/account/items`).default;
const Documents = require(`${LIB}/account/documents`).default;
const readJson = require(`${LIB}/json`).default;
const readItems = require(`${LIB}/handler/_read-items`).default;
const { readOperation } = require(`${LIB}/handler/_document-operations`);
const original = {
  queryDocuments: require(`${LIB}/handler/query-documents`).default,
  readDocument: require(`${LIB}/handler/read-document`).default,
  readDocuments: require(`${LIB}/handler/read-documents`).default,
  upsertDocument: require(`${LIB}/handler/upsert-document`).default,
  batchDocuments: require(`${LIB}/handler/batch-documents`).default
};

// ---------------------------------------------------------------------------
// Self-signed TLS certificate, built with node:crypto only (EC P-256, DER by hand).

function derLength(length) {
  if (length < 0x80) return Buffer.from([length]);
  const bytes = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function der(tag, ...contents) {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

function derOid(dotted) {
  const [first, second, ...rest] = dotted.split(".").map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let n = arc >> 7; n > 0; n >>= 7) chunk.unshift(0x80 | (n & 0x7f));
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

function derUtcTime(date) {
  const text = date.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z";
  return der(0x17, Buffer.from(text, "ascii"));
}

function createSelfSignedCert(commonName = "localhost") {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const ecdsaWithSha256 = der(0x30, derOid("1.2.840.10045.4.3.2"));
  const name = der(0x30, der(0x31, der(0x30, derOid("2.5.4.3"), der(0x0c, Buffer.from(commonName)))));
  const serial = crypto.randomBytes(8);
  // Positive and minimally encoded: a leading 0x00 before a byte below 0x80 is "illegal padding" in DER, and Node
  // then refuses the certificate (1 start in 256 failed with ERR_OSSL_ASN1_ILLEGAL_PADDING).
  serial[0] = (serial[0] & 0x7f) | 0x40;
  const now = Date.now();
  const day = 24 * 3600 * 1000;
  const tbsCertificate = der(
    0x30,
    der(0xa0, der(0x02, Buffer.from([2]))), // version v3
    der(0x02, serial),
    ecdsaWithSha256,
    name, // issuer
    der(0x30, derUtcTime(new Date(now - day)), derUtcTime(new Date(now + 3650 * day))),
    name, // subject
    publicKey.export({ type: "spki", format: "der" })
  );
  const signature = crypto.sign("sha256", tbsCertificate, privateKey);
  const certificate = der(0x30, tbsCertificate, ecdsaWithSha256, der(0x03, Buffer.from([0]), signature));
  const base64Lines = certificate.toString("base64").match(/.{1,64}/g).join("\n");
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${base64Lines}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: "pkcs8", format: "pem" })
  };
}

// ---------------------------------------------------------------------------
// Write tracking: every stored document version gets a sequence number (used as
// the change-feed continuation) and a precise write time (used for TTL).

const writeInfo = new WeakMap();
let lastSequence = 0;

Documents.prototype._set = function setAndTrack(data) {
  const stored = Items.prototype._set.call(this, data);
  lastSequence += 1;
  writeInfo.set(stored, { sequence: lastSequence, writtenAt: Date.now() });
  return stored;
};

function allDocuments(collection) {
  return [...collection.documents._data.values()].map(item => item.read());
}

// ---------------------------------------------------------------------------
// Resource ids. The package derives database and collection ids from a counter
// (e.g. the 63rd database gets "gAA/AA=="); a '/' or '+' in an id breaks the
// SDK's partition-key-range look-up for queries. Skip counters that give one.

function withSafeResourceIds(ItemsClass) {
  const ridOf = ItemsClass.prototype._rid;
  ItemsClass.prototype._rid = function safeRid(id) {
    this._safeRidCounter = Math.max(this._safeRidCounter || 0, id - 1);
    let rid;
    do {
      this._safeRidCounter += 1;
      rid = ridOf.call(this, this._safeRidCounter);
    } while (/[/+]/.test(rid));
    return rid;
  };
}
withSafeResourceIds(require(`${LIB}/account/databases`).default);
withSafeResourceIds(require(`${LIB}/account/collections`).default);

// ---------------------------------------------------------------------------
// TTL: container `defaultTtl` (absent = off, -1 = on without default) and item `ttl`.

function ttlSecondsOf(container, doc) {
  if (container.defaultTtl === undefined || container.defaultTtl === null) return null;
  const ttl = typeof doc.ttl === "number" ? doc.ttl : container.defaultTtl;
  return ttl > 0 ? ttl : null;
}

function purgeExpiredDocuments(collection) {
  const container = collection.read();
  if (!container || container.defaultTtl === undefined || container.defaultTtl === null) return;
  const now = Date.now();
  for (const doc of allDocuments(collection)) {
    const ttl = ttlSecondsOf(container, doc);
    const info = writeInfo.get(doc);
    const writtenAt = info ? info.writtenAt : doc._ts * 1000;
    if (ttl !== null && now >= writtenAt + ttl * 1000) {
      collection.documents.delete(doc.id, collection.documents._getPartition(doc));
    }
  }
}

// ---------------------------------------------------------------------------
// Partition key header (x-ms-documentdb-partitionkey: JSON array, `[{}]` = PartitionKey.None).

function partitionKeyFilter(req, collection) {
  const header = req.headers["x-ms-documentdb-partitionkey"];
  if (!header) return () => true;
  let values;
  try {
    values = JSON.parse(header);
  } catch (err) {
    return () => true;
  }
  if (!Array.isArray(values)) values = [values];
  const paths = ((collection.read().partitionKey || {}).paths || ["/id"]).map(p => p.slice(1).split("/"));
  const valueAt = (segments, doc) => segments.reduce((node, key) => (node == null ? undefined : node[key]), doc);
  const isNone = value => value !== null && typeof value === "object" && Object.keys(value).length === 0;
  return doc =>
    values.every((expected, i) => {
      const actual = valueAt(paths[i] || [], doc);
      return isNone(expected) ? actual === undefined : actual === expected;
    });
}

// ---------------------------------------------------------------------------
// Route handler overrides. Each gets (account, req, res, params) and returns the
// response body; the package's request handler adds the common headers.

// The SDK on Linux asks the gateway for a query plan. A pass-through plan (no
// rewritten query, one range covering everything) makes it send the original
// query unchanged, so this server's own engine runs ORDER BY, TOP and aggregates.
function passThroughQueryPlan() {
  return {
    partitionedQueryExecutionInfoVersion: 2,
    queryInfo: {
      distinctType: "None",
      top: null,
      offset: null,
      limit: null,
      orderBy: [],
      orderByExpressions: [],
      groupByExpressions: [],
      groupByAliases: [],
      aggregates: [],
      groupByAliasToAggregateType: {},
      rewrittenQuery: "",
      hasSelectValue: false,
      hasNonStreamingOrderBy: false
    },
    queryRanges: [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }]
  };
}

function isTrueHeader(req, name) {
  return String(req.headers[name] || "").toLowerCase() === "true";
}

async function queryDocuments(account, req, res, { dbId, collId }) {
  if (isTrueHeader(req, "x-ms-cosmos-is-query-plan-request")) {
    await readJson(req);
    return passThroughQueryPlan();
  }
  return readItems(req, res, "Documents", async ({ continuation, maxItemCount }) => {
    const body = await readJson(req);
    if (!body.query) {
      res.statusCode = 400;
      return { code: "BadRequest", message: "missing query" };
    }
    const collection = account.database(dbId).collection(collId);
    const container = collection.read();
    if (!container) return null; // -> 404
    const docs = allDocuments(collection).filter(partitionKeyFilter(req, collection));
    try {
      return collection.documents._getQuery(body.query).exec(docs, {
        parameters: body.parameters,
        udf: collection.documents._userDefinedFunctions(),
        maxItemCount,
        continuation,
        compositeIndexes: (container.indexingPolicy || {}).compositeIndexes || []
      });
    } catch (err) {
      res.statusCode = 400;
      return { code: "BadRequest", message: err.message };
    }
  });
}

// The original crashes (500) when the document does not exist.
function readDocument(account, req, res, { dbId, collId, docId }) {
  const collection = account.database(dbId).collection(collId);
  const partitionKey = req.headers["x-ms-documentdb-partitionkey"];
  if (!collection.read() || !partitionKey) {
    return original.readDocument(account, req, res, { dbId, collId, docId });
  }
  const result = readOperation(collection, { partitionKey, id: docId });
  res.statusCode = result.statusCode;
  return result.body;
}

// The original turns a unique-key violation into a 500.
async function upsertDocument(account, req, res, params) {
  try {
    return await original.upsertDocument(account, req, res, params);
  } catch (err) {
    if (!err.conflict) throw err;
    res.statusCode = 409;
    return { code: "Conflict", message: err.message };
  }
}

// The package only understands JSON batches (the JavaScript SDK's format); the .NET
// SDK sends TransactionalBatch and bulk requests in the binary HybridRow format.
async function batchDocuments(account, req, res, params) {
  try {
    return await original.batchDocuments(account, req, res, params);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    res.statusCode = 400;
    return { code: "BadRequest", message: "cosmos-local does not support binary (HybridRow) batch requests: TransactionalBatch and bulk mode are unavailable" };
  }
}

// GET .../docs with `A-IM: Incremental feed` is the change feed: the latest
// version of each document changed after the sequence number in If-None-Match.
function readDocuments(account, req, res, params) {
  if (!req.headers["a-im"]) return original.readDocuments(account, req, res, params);
  // The package's generic A-IM handling (meant for pkranges) would turn every
  // response into a 304 with etag "1"; hide the header from it.
  delete req.headers["a-im"];

  const collection = account.database(params.dbId).collection(params.collId);
  if (!collection.read()) {
    res.statusCode = 404;
    return { code: "NotFound", message: "Resource Not Found" };
  }
  const ifNoneMatch = (req.headers["if-none-match"] || "").replace(/"/g, "");
  const since = ifNoneMatch === "*" ? lastSequence : parseInt(ifNoneMatch, 10) || 0;
  const modifiedSince = req.headers["if-modified-since"] ? Date.parse(req.headers["if-modified-since"]) : null;
  const maxItemCount = parseInt(req.headers["x-ms-max-item-count"], 10);
  const pageSize = maxItemCount > 0 ? maxItemCount : Infinity;

  const changes = allDocuments(collection)
    .filter(partitionKeyFilter(req, collection))
    .map(doc => ({ doc, ...writeInfo.get(doc) }))
    .filter(c => c.sequence > since && (modifiedSince === null || c.writtenAt >= modifiedSince))
    .sort((a, b) => a.sequence - b.sequence)
    .slice(0, pageSize);

  const nextSequence = changes.length ? changes[changes.length - 1].sequence : lastSequence;
  res.setHeader("etag", `"${nextSequence}"`);
  res.setHeader("x-ms-item-count", String(changes.length));
  if (!changes.length) {
    res.statusCode = 304;
    return {};
  }
  const { _rid } = collection.read();
  return { _rid, Documents: changes.map(c => c.doc), _count: changes.length };
}

const overrides = new Map([
  [original.queryDocuments, queryDocuments],
  [original.readDocument, readDocument],
  [original.readDocuments, readDocuments],
  [original.upsertDocument, upsertDocument],
  [original.batchDocuments, batchDocuments]
]);

function withExpiryPurge(handler) {
  return (account, req, res, params) => {
    if (params.dbId && params.collId) {
      purgeExpiredDocuments(account.database(params.dbId).collection(params.collId));
    }
    return handler(account, req, res, params);
  };
}

// The package's request handler looks the router up on this module at every request.
const originalRouter = routesModule.default;
routesModule.default = req => {
  const route = originalRouter(req);
  if (!route) return route;
  const [params, handler] = route;
  return [params, withExpiryPurge(overrides.get(handler) || handler)];
};

// ---------------------------------------------------------------------------

function parseArgs(argv) {
  const options = { host: "127.0.0.1", port: 8081, exitOnStdinClose: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--port") options.port = parseInt(argv[(i += 1)], 10);
    else if (arg === "--host") options.host = argv[(i += 1)];
    else if (arg === "--exit-on-stdin-close") options.exitOnStdinClose = true;
    else {
      process.stderr.write(`unknown argument: ${arg}\nusage: server.js [--port N] [--host H] [--exit-on-stdin-close]\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    process.stderr.write("--port must be an integer 0-65535\n");
    process.exit(2);
  }
  return options;
}

function logRequestsToStderr(server) {
  server.prependListener("request", (req, res) => {
    const headers = Object.entries(req.headers)
      .filter(([name]) => /^(x-ms-(?!date|version)|a-im|if-)/.test(name))
      .map(([name, value]) => `${name}=${value}`);
    res.on("finish", () => process.stderr.write(`${res.statusCode} ${req.method} ${req.url} ${headers.join(" ")}\n`));
  });
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const server = createHttpsServer({ ...createSelfSignedCert(), keepAlive: true });
  // Longer than .NET's pooled-connection idle timeout (1 min), so the client closes idle connections first.
  server.keepAliveTimeout = 75 * 1000;

  if (process.env.COSMOS_LOCAL_LOG) logRequestsToStderr(server);
  server.on("error", err => {
    process.stderr.write(`cosmos-local: ${err.message}\n`);
    process.exit(1);
  });
  server.listen(options.port, options.host, () => {
    const { port } = server.address();
    const host = options.host.includes(":") ? `[${options.host}]` : options.host;
    process.stdout.write(`cosmos-local listening on https://${host}:${port}/\n`);
  });

  const shutdown = () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  if (options.exitOnStdinClose) {
    process.stdin.on("end", shutdown);
    process.stdin.on("close", shutdown);
    process.stdin.resume();
  }
}

main();
