// PostJson: libcurl POST with retries (see http_client.h).
#include "embed/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>

namespace engram::embed {
namespace {

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Exchange {
  std::string body;
  std::size_t max_bytes = 0;
  bool too_large = false;
  std::optional<int> retry_after_s;
};

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const std::size_t n = size * count;
  if (ex->body.size() + n > ex->max_bytes) {
    ex->too_large = true;
    return 0;  // aborts the transfer
  }
  ex->body.append(data, n);
  return n;
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const std::size_t n = size * count;
  std::string line(data, n);
  std::transform(line.begin(), line.end(), line.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  constexpr std::string_view kName = "retry-after:";
  if (line.starts_with(kName)) {
    // Only the delta-seconds form; an HTTP date falls back to the backoff.
    int seconds = 0;
    bool digits = false;
    for (char c : line.substr(kName.size())) {
      if (c >= '0' && c <= '9') {
        digits = true;
        seconds = std::min(seconds * 10 + (c - '0'), 1000000);
      } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        digits = false;
        break;
      }
    }
    if (digits) ex->retry_after_s = seconds;
  }
  return n;
}

enum class Outcome { kSuccess, kRetry, kFail };

struct Attempt {
  Outcome outcome = Outcome::kFail;
  std::string body;   // success: the response body
  std::string error;  // otherwise: what went wrong
  std::optional<int> retry_after_s;
};

bool RetriableCurlError(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return true;
    default:
      return false;
  }
}

Attempt PostOnce(const HttpPostRequest& request, const HttpPostOptions& options) {
  Attempt attempt;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    attempt.error = "curl_easy_init failed";
    return attempt;
  }
  Exchange ex;
  ex.max_bytes = options.max_response_bytes;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Accept: application/json");
  if (!request.bearer_token.empty()) {
    const std::string auth = "Authorization: Bearer " + request.bearer_token;
    headers = curl_slist_append(headers, auth.c_str());  // copies the string
  }
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout_ms));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout_ms));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);        // thread-safe timeouts
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // never resend the key elsewhere
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &ex);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &ex);
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);

  attempt.retry_after_s = ex.retry_after_s;
  if (ex.too_large) {
    attempt.error = "response larger than " + std::to_string(options.max_response_bytes) + " bytes";
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    attempt.error = "timed out after " + std::to_string(options.timeout_ms) + " ms";
  } else if (code != CURLE_OK) {
    attempt.outcome = RetriableCurlError(code) ? Outcome::kRetry : Outcome::kFail;
    attempt.error = std::string("connection failed: ") + curl_easy_strerror(code);
  } else if (status >= 200 && status < 300) {
    attempt.outcome = Outcome::kSuccess;
    attempt.body = std::move(ex.body);
  } else {
    attempt.outcome = status == 429 || status >= 500 ? Outcome::kRetry : Outcome::kFail;
    attempt.error =
        "HTTP " + std::to_string(status) + ": " + BodyExcerpt(ex.body, request.bearer_token);
  }
  return attempt;
}

// Backoff before retry `n` (0-based), with 50-100% jitter, raised to
// Retry-After when the server sent one; both capped at max_backoff_ms.
std::chrono::milliseconds Backoff(int n, std::optional<int> retry_after_s,
                                  const HttpPostOptions& options) {
  const std::int64_t cap = std::max(0, options.max_backoff_ms);
  std::int64_t base = std::max(0, options.initial_backoff_ms);
  for (int i = 0; i < n && base < cap; ++i) base *= 2;
  base = std::min(base, cap);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<std::int64_t> jitter(base / 2, base);
  std::int64_t wait = jitter(rng);
  if (retry_after_s) wait = std::max(wait, std::min<std::int64_t>(*retry_after_s * 1000LL, cap));
  return std::chrono::milliseconds(wait);
}

}  // namespace

std::string BodyExcerpt(std::string_view body, std::string_view secret, std::size_t max_bytes) {
  std::string text(body);
  if (!secret.empty()) {
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
      text.replace(at, secret.size(), "[redacted]");
    }
  }
  if (text.size() > max_bytes) text = text.substr(0, max_bytes) + "...";
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return text.empty() ? "(empty body)" : text;
}

Result<std::string> PostJson(const HttpPostRequest& request, const HttpPostOptions& options) {
  GlobalInitOnce();
  const int attempts = 1 + std::max(0, options.max_retries);
  for (int i = 0;; ++i) {
    Attempt attempt = PostOnce(request, options);
    if (attempt.outcome == Outcome::kSuccess) return std::move(attempt.body);
    if (attempt.outcome == Outcome::kFail || i + 1 >= attempts) {
      const std::string tries = attempt.outcome == Outcome::kRetry
                                    ? " (gave up after " + std::to_string(i + 1) + " attempts)"
                                    : "";
      return Status::Unavailable("POST " + request.url + ": " + attempt.error + tries);
    }
    std::this_thread::sleep_for(Backoff(i, attempt.retry_after_s, options));
  }
}

}  // namespace engram::embed
