// HTTP POST with retries, for the HTTP embedder (libcurl underneath).
//
// PostJson sends one JSON body and returns the 2xx response. 429, 5xx and
// connection failures are retried with exponential backoff and jitter,
// honouring a Retry-After header given in seconds; a timeout and any other
// status are final. Every failure is Unavailable with a message naming the
// URL, the HTTP status and an excerpt of the body, with `secret` (the API
// key) scrubbed from anything quoted.
//
// Ownership: nothing is retained between calls; each call creates and frees
// its own curl handle. Thread safety: safe to call concurrently
// (curl_global_init runs once, under std::call_once).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engram/status.h"

namespace engram::embed {

struct HttpPostOptions {
  int timeout_ms = 30000;  // whole request
  int connect_timeout_ms = 5000;
  int max_retries = 4;  // retries after the first attempt
  int initial_backoff_ms = 250;
  int max_backoff_ms = 20000;
  // Larger response bodies are an error (protects memory).
  std::size_t max_response_bytes = std::size_t{256} << 20;
};

struct HttpPostRequest {
  std::string url;
  std::string body;          // sent with Content-Type: application/json
  std::string bearer_token;  // empty: no Authorization header
};

// The body of the final 2xx response.
Result<std::string> PostJson(const HttpPostRequest& request, const HttpPostOptions& options);

// At most `max_bytes` of `body` on one line (control characters become
// spaces), with every occurrence of `secret` replaced by "[redacted]".
std::string BodyExcerpt(std::string_view body, std::string_view secret,
                        std::size_t max_bytes = 300);

}  // namespace engram::embed
