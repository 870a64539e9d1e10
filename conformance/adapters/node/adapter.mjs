// A minimal ByteIT client in Node 20 (plain fetch, no dependencies), written from
// docs/client-behaviour.md, with the conformance adapter protocol around it:
// one JSON line in on stdin, one JSON line out on stdout.
//
// It implements create, wait and get_result; any other operation is answered
// {"unsupported": ...} and the runner reports that scenario as skipped.
//
//   byteit conformance run --client "node conformance/adapters/node/adapter.mjs"

import { randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);
const KEY_SHAPE = /^[\x21-\x7e]+\.[\x21-\x7e]+$/;
const REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-amzn-requestid", "cf-ray"];
const KINDS = { 400: "ValidationError", 401: "AuthenticationError", 403: "APIKeyError",
  404: "ResourceNotFoundError", 413: "ValidationError", 429: "RateLimitError" };

class ByteITError extends Error {
  constructor(kind, message, fields = {}) {
    super(message);
    this.kind = kind;
    this.fields = fields;
  }
}

// --- settings (AUTH-2, AUTH-3) -------------------------------------------------------

function checkSettings(apiKey, baseUrl) {
  if (!apiKey || !KEY_SHAPE.test(apiKey)) {
    throw new ByteITError("APIKeyError", "The API key is missing or malformed: expected '<id>.<secret>'");
  }
  const url = new URL(baseUrl);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const loopback = host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
  if (url.protocol === "http:" && !loopback) {
    throw new ByteITError("ValidationError", `Refusing to send the API key over plain http to ${host}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ByteITError("ValidationError", `base_url ${baseUrl} is not an http(s) URL`);
  }
  return baseUrl.replace(/\/+$/, "");
}

// --- one call, with retries (RETRY-1..6) ---------------------------------------------

const sleep = (seconds) => new Promise((done) => setTimeout(done, Math.max(0, seconds) * 1000));

function parseRetryAfter(value) {
  if (value == null) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const when = Date.parse(text);
  return Number.isNaN(when) ? null : Math.max(0, (when - Date.now()) / 1000);
}

class Client {
  constructor(request) {
    this.apiKey = request.api_key;
    this.baseUrl = checkSettings(request.api_key, request.base_url);
    this.timing = request.timing;
  }

  scrub(text) {
    return this.apiKey ? String(text).split(this.apiKey).join("***") : String(text);
  }

  // Sends `build()` (a fresh request each attempt) until it may not be retried; returns
  // {response, body} with the body read whole, so a body cut short is retried too.
  async send(description, build, { within } = {}) {
    const t = this.timing;
    const started = Date.now() / 1000;
    const deadline = within == null ? t.deadline : Math.min(t.deadline, within);
    for (let retries = 0; ; retries += 1) {
      let response = null;
      let body = null;
      let failure = null;
      try {
        const { url, init } = build();
        init.headers = { ...(init.headers || {}), "X-API-Key": this.apiKey };
        init.signal = AbortSignal.timeout(t.request_timeout * 1000);
        response = await fetch(this.baseUrl + url, init);
        body = Buffer.from(await response.arrayBuffer());
      } catch (error) {
        failure = error;
      }
      if (!failure && !RETRYABLE.has(response.status)) return { response, body };
      const retryAfter = failure ? null : parseRetryAfter(response.headers.get("retry-after"));
      const wait = retryAfter ?? Math.random() * Math.min(t.backoff_max, t.backoff_base * 2 ** retries);
      const late = Date.now() / 1000 + wait - started > deadline;
      const tooLong = retryAfter != null && retryAfter > t.retry_after_cap;
      if (retries >= t.max_retries || late || tooLong) {
        if (failure) throw new ByteITError("NetworkError", `The connection failed during ${description}: ${failure.name}`);
        return { response, body };
      }
      await sleep(wait);
    }
  }

  // The error an answer stands for (ERR-1..4), with nothing of the key in it (REDACT-2).
  errorFor(response, body, description) {
    const status = response.status;
    const kind = KINDS[status] ?? (status >= 500 ? "ServerError" : status >= 400 ? "ValidationError" : "UnexpectedResponseError");
    const text = body.toString("utf-8");
    let detail = text.slice(0, 300);
    try {
      const parsed = JSON.parse(text);
      detail = parsed.detail ?? parsed.error ?? parsed.message ?? detail;
    } catch {
      const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text);
      if (title) detail = `an HTML page: ${title[1].trim()}`;
    }
    const requestId = REQUEST_ID_HEADERS.map((h) => response.headers.get(h)).find(Boolean) ?? null;
    const fields = { status_code: status, request_id: requestId };
    if (status === 429) fields.retry_after = parseRetryAfter(response.headers.get("retry-after"));
    return new ByteITError(kind, this.scrub(`HTTP ${status} on ${description}: ${detail}`), fields);
  }

  async json(description, build, options) {
    const { response, body } = await this.send(description, build, options);
    if (response.status !== 200 && response.status !== 201) throw this.errorFor(response, body, description);
    try {
      return { payload: JSON.parse(body.toString("utf-8")), response };
    } catch {
      throw new ByteITError("UnexpectedResponseError", `The answer to ${description} is not JSON`);
    }
  }

  async getJob(jobId, options) {
    const { payload } = await this.json(`GET job ${jobId}`, () => ({ url: `/v1/jobs/parse-jobs/${jobId}/`, init: {} }), options);
    return readJob(payload?.parse_job);
  }

  // --- create (IDEM-1..4) ---------------------------------------------------------------

  async create(args) {
    const key = args.idempotency_key ?? `byteit-${randomUUID()}`;
    const { name, content } = args.document;
    const build = () => {
      const form = new FormData();
      form.append("file", new Blob([content]), name); // a Blob: every attempt sends it whole
      form.append("processing_options", JSON.stringify({ languages: ["en"] }));
      if (args.output_format) form.append("output_format", args.output_format);
      form.append("input_connector", "localfile");
      form.append("output_connector", "localfile");
      form.append("output_connection_data", JSON.stringify({ type: "localfile" }));
      return { url: "/v1/jobs/parse-jobs/", init: { method: "POST", body: form, headers: { "Idempotency-Key": key } } };
    };
    const { payload } = await this.json(`POST job for ${name}`, build);
    if (payload?.parse_job) return jobValue(readJob(payload.parse_job));
    if (Array.isArray(payload?.parse_jobs) && payload.parse_jobs.length === 1) return jobValue(readJob(payload.parse_jobs[0]));
    if (typeof payload?.job_id === "string") return jobValue(await this.getJob(payload.job_id));
    throw new ByteITError("UnexpectedResponseError", "The creation answer named no job");
  }

  // --- wait (POLL-1..6) -----------------------------------------------------------------

  async wait(args) {
    const { job_id: jobId } = args;
    const t = this.timing;
    const started = Date.now() / 1000;
    let statusEndpoint = true;
    for (let poll = 0; ; poll += 1) {
      const remaining = t.max_wait_time - (Date.now() / 1000 - started);
      let status;
      let retryAfter = null;
      if (statusEndpoint) {
        try {
          const { payload, response } = await this.json(`GET status of job ${jobId}`, () => ({ url: `/v1/jobs/${jobId}/status/`, init: {} }), { within: remaining });
          status = payload?.processing_status;
          retryAfter = parseRetryAfter(response.headers.get("retry-after"));
        } catch (error) {
          if (error.kind !== "ResourceNotFoundError") throw error;
          statusEndpoint = false; // an older server: poll the job itself from now on
        }
      }
      if (!statusEndpoint) status = (await this.getJob(jobId, { within: remaining })).status;
      if (status === "completed" || status === "failed") {
        const job = await this.getJob(jobId);
        if (job.status === "failed") throw failedJob(job, this);
        return jobValue(job);
      }
      const left = t.max_wait_time - (Date.now() / 1000 - started);
      if (left <= 0) {
        const waited = Date.now() / 1000 - started;
        throw new ByteITError("JobTimeoutError", `Job ${jobId} was still running after ${waited.toFixed(1)} s`, { job_id: jobId, waited });
      }
      const planned = Math.min(t.poll_max, t.poll_initial * t.poll_factor ** poll);
      await sleep(Math.min(Math.max(planned, retryAfter ?? 0), left));
    }
  }

  // --- get_result (RESULT-1..5) ---------------------------------------------------------

  async getResult(args, outputDir) {
    const { job_id: jobId, output_format: format } = args;
    const query = format ? `?output_format=${encodeURIComponent(format)}` : "";
    const description = `GET result of job ${jobId}`;
    const { response, body } = await this.send(description, () => ({ url: `/v1/jobs/parse-jobs/${jobId}/result/${query}`, init: {} }));
    if (response.status !== 200 && response.status !== 201) {
      const error = this.errorFor(response, body, description);
      if (error.kind === "ValidationError") {
        const job = await this.getJob(jobId);
        if (job.status === "failed") throw failedJob(job, this);
      }
      throw error;
    }
    const disposition = response.headers.get("content-disposition") ?? "";
    const isJson = (response.headers.get("content-type") ?? "").includes("json");
    if (!disposition.toLowerCase().includes("attachment") && isJson) {
      let payload = null;
      try { payload = JSON.parse(body.toString("utf-8")); } catch { /* the result itself */ }
      if (payload && payload.ready === false) {
        throw new ByteITError("ResultNotReadyError", `The result of job ${jobId} is not ready`, { job_id: jobId });
      }
    }
    if (!args.to_folder) return { content: body.toString("utf-8") };
    const name = attachmentName(disposition) ?? `${jobId}.result`;
    await fs.mkdir(outputDir, { recursive: true });
    const target = path.join(outputDir, name);
    const temp = path.join(outputDir, `.${name}.${randomUUID().slice(0, 12)}.part`);
    await fs.writeFile(temp, body); // whole, then renamed: the file appears whole or not at all
    await fs.rename(temp, target);
    return { file: name, content: body.toString("utf-8") };
  }
}

function attachmentName(disposition) {
  const parts = Object.fromEntries(disposition.split(";").map((p) => {
    const [key, ...rest] = p.trim().split("=");
    return [key.trim().toLowerCase(), rest.join("=").trim()];
  }));
  let name = "";
  if (parts["filename*"]) {
    const encoded = parts["filename*"].split("''").pop();
    try { name = decodeURIComponent(encoded); } catch { name = encoded; }
  } else if (parts.filename) {
    name = parts.filename.replace(/^"|"$/g, "");
  }
  name = path.posix.basename(name.replace(/\\/g, "/"));
  return name && name !== "." && name !== ".." ? name : null;
}

function readJob(job) {
  if (!job || typeof job.id !== "string" || typeof job.processing_status !== "string") {
    throw new ByteITError("UnexpectedResponseError", "The server sent a job without an id or a processing_status");
  }
  return { id: job.id, status: job.processing_status, error: job.processing_error ?? null };
}

const jobValue = (job) => ({ job_id: job.id, processing_status: job.status });

function failedJob(job, client) {
  const reason = job.error == null ? null : client.scrub(job.error);
  return new ByteITError("JobProcessingError", `Job ${job.id} failed: ${reason ?? "no reason given"}`, { job_id: job.id, processing_error: reason });
}

// --- the adapter protocol ------------------------------------------------------------

async function answer(request) {
  const operations = {
    create: (client) => client.create(request.arguments),
    wait: (client) => client.wait(request.arguments),
    get_result: (client) => client.getResult(request.arguments, request.output_dir),
  };
  const operation = operations[request.operation];
  if (!operation) return { unsupported: `operation ${request.operation}` };
  try {
    return { value: await operation(new Client(request)) };
  } catch (error) {
    if (!(error instanceof ByteITError)) throw error;
    return { error_kind: error.kind, fields: { message: error.message, ...error.fields } };
  }
}

let input = "";
process.stdin.setEncoding("utf-8");
for await (const chunk of process.stdin) input += chunk;
const reply = await answer(JSON.parse(input.split("\n")[0]));
process.stdout.write(JSON.stringify(reply) + "\n", () => process.exit(0));
