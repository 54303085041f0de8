// Load generator for `usersctl userdb serve` (scripts/bench userdb): N client threads each look
// up random existing users the way nss-systemd does for getpwnam(), one connection per lookup --
// connect, send io.systemd.UserDatabase.GetUserRecord as NUL-terminated JSON, read the one reply,
// close -- for a fixed time, then print the throughput and the latency percentiles.
//
// A real client, not 32 `getent` processes: on a small machine spawning the processes would be
// the load being measured, not the service.
//
//   userdb_load --socket PATH --users N [--prefix user] [--clients 32] [--seconds 10]
//               [--service NAME]
//
// Names are PREFIX1 .. PREFIXN. Prints one line of key=value pairs (lookups, errors, seconds,
// lookups_per_s, p50_ms, p95_ms, p99_ms, max_ms) on stdout; exits 1 when any lookup failed
// (no reply, an error reply, or a reply without a record).

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string socket = "/run/systemd/userdb/io.usersctl.UserDatabase";
  std::string service;  // default: the socket's file name, as nss-systemd sends it
  std::string prefix = "user";
  long users = 0;
  int clients = 32;
  double seconds = 10;
};

struct ClientResult {
  std::vector<double> latencies_ms;
  long errors = 0;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "userdb_load: %s\nusage: userdb_load --socket PATH --users N [--prefix P] [--clients C] "
               "[--seconds S] [--service NAME]\n",
               why);
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) usage("every option takes a value");
    const char* value = argv[++i];
    if (flag == "--socket")
      options.socket = value;
    else if (flag == "--service")
      options.service = value;
    else if (flag == "--prefix")
      options.prefix = value;
    else if (flag == "--users")
      options.users = std::atol(value);
    else if (flag == "--clients")
      options.clients = std::atoi(value);
    else if (flag == "--seconds")
      options.seconds = std::atof(value);
    else
      usage("unknown option");
  }
  if (options.users < 1 || options.clients < 1 || options.seconds <= 0) usage("need --users >= 1");
  if (options.socket.size() >= sizeof(sockaddr_un::sun_path)) usage("socket path too long");
  if (options.service.empty()) options.service = options.socket.substr(options.socket.rfind('/') + 1);
  return options;
}

// What nss-systemd sends for getpwnam(NAME) (systemd 252: userdb_by_name, one socket).
std::string call_for(const Options& options, long n) {
  std::string call = R"({"method":"io.systemd.UserDatabase.GetUserRecord","parameters":{"userName":")";
  call += options.prefix + std::to_string(n);
  call += R"(","service":")" + options.service + R"("}})";
  call.push_back('\0');
  return call;
}

// Reads until the reply's NUL; false on a closed connection, an error or 5 s without an answer.
bool read_reply(int fd, std::string& reply) {
  reply.clear();
  char chunk[8192];
  for (;;) {
    pollfd in{fd, POLLIN, 0};
    if (::poll(&in, 1, 5000) <= 0) return false;
    const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    reply.append(chunk, static_cast<std::size_t>(n));
    if (std::memchr(chunk, '\0', static_cast<std::size_t>(n)) != nullptr) return true;
  }
}

// One lookup on a connection of its own; true when a user record came back.
bool look_up(const sockaddr_un& address, const std::string& call, std::string& reply) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0 &&
            ::send(fd, call.data(), call.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(call.size()) &&
            read_reply(fd, reply);
  ::close(fd);
  return ok && reply.find("\"error\"") == std::string::npos && reply.find("\"record\"") != std::string::npos;
}

void run_client(const Options& options, const sockaddr_un& address, unsigned seed, Clock::time_point end,
                ClientResult& result) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<long> pick(1, options.users);
  std::string reply;
  result.latencies_ms.reserve(1 << 16);
  while (Clock::now() < end) {
    const std::string call = call_for(options, pick(random));
    const auto start = Clock::now();
    const bool ok = look_up(address, call, reply);
    const std::chrono::duration<double, std::milli> took = Clock::now() - start;
    result.latencies_ms.push_back(took.count());
    if (!ok) ++result.errors;
  }
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(index, sorted.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, options.socket.c_str(), options.socket.size() + 1);

  std::vector<ClientResult> results(static_cast<std::size_t>(options.clients));
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.seconds));
  std::random_device seeds;
  for (int i = 0; i < options.clients; ++i)
    threads.emplace_back(run_client, std::cref(options), std::cref(address), seeds(), end,
                         std::ref(results[static_cast<std::size_t>(i)]));
  for (auto& thread : threads) thread.join();
  const std::chrono::duration<double> wall = Clock::now() - start;

  std::vector<double> all;
  long errors = 0;
  for (const auto& result : results) {
    all.insert(all.end(), result.latencies_ms.begin(), result.latencies_ms.end());
    errors += result.errors;
  }
  std::sort(all.begin(), all.end());
  std::printf(
      "lookups=%zu errors=%ld seconds=%.2f lookups_per_s=%.0f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f "
      "max_ms=%.2f\n",
      all.size(), errors, wall.count(), static_cast<double>(all.size()) / wall.count(), percentile(all, 0.50),
      percentile(all, 0.95), percentile(all, 0.99), all.empty() ? 0.0 : all.back());
  return errors == 0 ? 0 : 1;
}
