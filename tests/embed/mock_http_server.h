// MockHttpServer: a tiny HTTP/1.1 server on 127.0.0.1 for the HTTP embedder
// tests. It listens on an ephemeral port, serves one request per connection
// (Connection: close) through a handler, records every request, and stops by
// itself after `max_requests` requests or `lifetime`, or when destroyed.
// Loopback only; no other network.
//
// Ownership: owns its listening socket and its thread. Thread safety: the
// handler runs on the server thread; requests() may be called from any
// thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace engram::embed_test {

struct MockRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

struct MockResponse {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Never answer: hold the connection until the client gives up or the
  // server stops.
  bool hang = false;
};

inline MockResponse Reply(int status, std::string body = "",
                          std::vector<std::pair<std::string, std::string>> headers = {}) {
  MockResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}
inline MockResponse Hang() {
  MockResponse r;
  r.hang = true;
  return r;
}

// `n` is the 0-based number of the request.
using MockHandler = std::function<MockResponse(const MockRequest& request, int n)>;

class MockHttpServer {
 public:
  explicit MockHttpServer(MockHandler handler, int max_requests = 64,
                          std::chrono::milliseconds lifetime = std::chrono::seconds(30));
  ~MockHttpServer();
  MockHttpServer(const MockHttpServer&) = delete;
  MockHttpServer& operator=(const MockHttpServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port>/v1"
  std::string base_url() const;
  std::vector<MockRequest> requests() const;

 private:
  void Serve(int max_requests, std::chrono::steady_clock::time_point deadline);
  void HandleConnection(int fd, int n);

  MockHandler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<MockRequest> requests_;
  std::thread thread_;
};

// A port on 127.0.0.1 where nothing listens (bound, then closed).
int UnusedLoopbackPort();

}  // namespace engram::embed_test
