// A local stand-in for SendGrid's v3 mail API, so the app can send e-mail without a SendGrid key.
// POST /v3/mail/send stores the message; GET / lists what was sent; GET /messages returns it as JSON;
// DELETE /messages clears the list; GET /v3/messages?query=unique_args['messageId']="<id>" answers like SendGrid's
// Email Activity API whether a message was accepted. POST /chat stands in for the chat platform's outbound webhook
// (Conversation__ChatReplyUrl): it keeps the desk's chat replies, once per messageId, listed on the page and at
// GET /chats. Memory only; binds 127.0.0.1.
'use strict';

const http = require('node:http');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const host = option('--host', '127.0.0.1');
const port = Number(option('--port', '10025'));
const maxBodyBytes = 10 * 1024 * 1024;
const messages = [];
const chats = [];

const escapeHtml = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const addresses = (list) => (list ?? []).map((a) => (a.name ? `${a.name} <${a.email}>` : a.email)).join(', ');

function summarise(body) {
  const personalization = body.personalizations?.[0] ?? {};
  const text = (body.content ?? []).find((c) => c.type === 'text/plain')?.value ?? '';
  return {
    receivedAt: new Date().toISOString(),
    from: addresses([body.from]),
    to: addresses(personalization.to),
    cc: addresses(personalization.cc),
    subject: body.subject ?? personalization.subject ?? '',
    messageId: personalization.headers?.['Message-ID'] ?? body.headers?.['Message-ID'] ?? '',
    inReplyTo: personalization.headers?.['In-Reply-To'] ?? '',
    references: personalization.headers?.References ?? '',
    replyTo: body.reply_to ? addresses([body.reply_to]) : '',
    text,
    raw: body,
  };
}

function page() {
  const rows = messages.slice().reverse().map((m) => `
    <article><h2>${escapeHtml(m.subject)}</h2>
    <p><b>To:</b> ${escapeHtml(m.to)}${m.cc ? ` <b>Cc:</b> ${escapeHtml(m.cc)}` : ''}<br>
    <b>From:</b> ${escapeHtml(m.from)} <b>At:</b> ${escapeHtml(m.receivedAt)} <b>Message-ID:</b> ${escapeHtml(m.messageId)}
    ${m.inReplyTo ? `<br><b>In-Reply-To:</b> ${escapeHtml(m.inReplyTo)}` : ''}${m.replyTo ? ` <b>Reply-To:</b> ${escapeHtml(m.replyTo)}` : ''}</p>
    <pre>${escapeHtml(m.text)}</pre></article>`).join('');
  const chatRows = chats.slice().reverse().map((c) => `
    <article><h2>Chat ${escapeHtml(c.platform)} / ${escapeHtml(c.conversationId)} (${escapeHtml(c.ticketNumber)})</h2>
    <pre>${escapeHtml(c.text)}</pre></article>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
    <title>Captured mail (${messages.length})</title>
    <style>body{font-family:system-ui;margin:2rem;max-width:60rem}article{border-bottom:1px solid #ccc}pre{white-space:pre-wrap}</style>
    </head><body><h1>Captured mail (${messages.length})</h1>${rows || '<p>Nothing sent yet.</p>'}
    <h1>Chat replies (${chats.length})</h1>${chatRows || '<p>None yet.</p>'}</body></html>`;
}

const server = http.createServer((req, res) => {
  const send = (status, type, body) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };
  if (req.method === 'POST' && req.url === '/v3/mail/send') {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > maxBodyBytes) return send(413, 'application/json', '{"errors":[{"message":"too large"}]}');
      try {
        messages.push(summarise(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        console.log(`mail-capture: captured "${messages[messages.length - 1].subject}"`);
        send(202, 'application/json', '');
      } catch {
        send(400, 'application/json', '{"errors":[{"message":"invalid JSON"}]}');
      }
    });
    return;
  }
  if (req.method === 'POST' && req.url === '/chat') {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const reply = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (!chats.some((c) => c.messageId === reply.messageId)) {
          chats.push({ receivedAt: new Date().toISOString(), ...reply });
          console.log(`mail-capture: chat reply for ${reply.ticketNumber}`);
        }
        send(200, 'application/json', '{}');
      } catch {
        send(400, 'application/json', '{"error":"invalid JSON"}');
      }
    });
    return;
  }
  if (req.method === 'GET' && req.url === '/chats') return send(200, 'application/json', JSON.stringify(chats));
  if (req.method === 'GET' && req.url === '/messages') return send(200, 'application/json', JSON.stringify(messages));
  if (req.method === 'GET' && req.url.startsWith('/v3/messages?')) {
    const query = new URL(req.url, 'http://capture').searchParams.get('query') ?? '';
    const wanted = /unique_args\['messageId'\]="([^"]*)"/.exec(query)?.[1];
    const found = messages.filter((m) => wanted !== undefined && m.raw.custom_args?.messageId === wanted);
    return send(200, 'application/json', JSON.stringify({ messages: found.map((m) => ({ msg_id: m.messageId, status: 'processed' })) }));
  }
  if (req.method === 'DELETE' && req.url === '/messages') {
    messages.length = 0;
    return send(204, 'text/plain', '');
  }
  if (req.method === 'GET' && (req.url === '/' || req.url === '/index.html')) return send(200, 'text/html; charset=utf-8', page());
  send(404, 'text/plain', 'not found');
});

server.listen(port, host, () => console.log(`mail-capture listening on http://${host}:${server.address().port}/`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
