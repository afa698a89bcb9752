// MockHttpServer: POSIX sockets, one connection at a time (see the header).
#include "mock_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace engram::embed_test {
namespace {

constexpr std::size_t kMaxRequestBytes = 16 << 20;
constexpr int kPollMs = 20;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

bool SendAll(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads more bytes into `buf`; false on close, error, stop or deadline.
bool ReadMore(int fd, std::string& buf, const std::atomic<bool>& stop) {
  while (!stop) {
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, kPollMs);
    if (r < 0) return false;
    if (r == 0) continue;
    char chunk[16384];
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf.append(chunk, static_cast<std::size_t>(n));
    return buf.size() <= kMaxRequestBytes;
  }
  return false;
}

std::string Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

}  // namespace

MockHttpServer::MockHttpServer(MockHandler handler, int max_requests,
                               std::chrono::milliseconds lifetime)
    : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // ephemeral
  socklen_t len = sizeof addr;
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::abort();  // test infrastructure failure
  }
  port_ = ntohs(addr.sin_port);
  const auto deadline = std::chrono::steady_clock::now() + lifetime;
  thread_ = std::thread([this, max_requests, deadline] { Serve(max_requests, deadline); });
}

MockHttpServer::~MockHttpServer() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
}

std::string MockHttpServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/v1";
}

std::vector<MockRequest> MockHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

void MockHttpServer::Serve(int max_requests, std::chrono::steady_clock::time_point deadline) {
  for (int n = 0; n < max_requests && !stop_;) {
    if (std::chrono::steady_clock::now() > deadline) break;
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, kPollMs) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    HandleConnection(fd, n++);
    ::close(fd);
  }
  // Stopped: refuse further connections by closing the queue.
  ::shutdown(listen_fd_, SHUT_RDWR);
}

void MockHttpServer::HandleConnection(int fd, int n) {
  std::string buf;
  std::size_t header_end;
  while ((header_end = buf.find("\r\n\r\n")) == std::string::npos) {
    if (!ReadMore(fd, buf, stop_)) return;
  }
  MockRequest req;
  std::size_t line_end = buf.find("\r\n");
  const std::string request_line = buf.substr(0, line_end);
  const auto sp1 = request_line.find(' ');
  const auto sp2 = request_line.find(' ', sp1 + 1);
  req.method = request_line.substr(0, sp1);
  req.path = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  for (std::size_t at = line_end + 2; at < header_end;) {
    const std::size_t end = buf.find("\r\n", at);
    const std::string line = buf.substr(at, end - at);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      req.headers[Lower(line.substr(0, colon))] = Trim(line.substr(colon + 1));
    }
    at = end + 2;
  }
  if (Lower(req.headers["expect"]) == "100-continue") {
    if (!SendAll(fd, "HTTP/1.1 100 Continue\r\n\r\n")) return;
  }
  const std::size_t length = std::strtoul(req.headers["content-length"].c_str(), nullptr, 10);
  while (buf.size() < header_end + 4 + length) {
    if (!ReadMore(fd, buf, stop_)) return;
  }
  req.body = buf.substr(header_end + 4, length);
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(req);
  }
  const MockResponse resp = handler_(req, n);
  if (resp.hang) {
    std::string ignored;
    while (ReadMore(fd, ignored, stop_)) {
    }
    return;  // the client gave up (closed) or the server stops
  }
  std::string out = "HTTP/1.1 " + std::to_string(resp.status) + " " + Reason(resp.status) + "\r\n";
  out += "Content-Type: application/json\r\nConnection: close\r\n";
  out += "Content-Length: " + std::to_string(resp.body.size()) + "\r\n";
  for (const auto& [name, value] : resp.headers) out += name + ": " + value + "\r\n";
  out += "\r\n" + resp.body;
  SendAll(fd, out);
}

int UnusedLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::abort();
  }
  const int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

}  // namespace engram::embed_test
