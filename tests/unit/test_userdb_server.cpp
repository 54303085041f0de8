#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../userdb/fixed_account_source.hpp"
#include "../userdb/varlink_test_client.hpp"
#include "userdb/userdb_server.hpp"
#include "util/errors.hpp"

namespace usersctl::userdb {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::VarlinkTestClient;
constexpr const char* kService = "io.usersctl.UserDatabase";
constexpr const char* kGetUser = "io.systemd.UserDatabase.GetUserRecord";

// Yields users for ever, counting them: shows whether enumeration streams or collects.
class EndlessSource : public testing::FixedAccountSource {
 public:
  EndlessSource() : FixedAccountSource({}, {}) {}
  void for_each_user(const UserSink& sink) override {
    for (std::uint32_t uid = 70000;; ++uid) {
      ++produced;
      if (!sink({"u" + std::to_string(uid),
                 uid,
                 uid,
                 "",
                 "/",
                 "/bin/sh",
                 std::nullopt,
                 false,
                 std::nullopt,
                 {},
                 {}}))
        return;
    }
  }
  std::atomic<int> produced{0};
};

class UserdbServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    // Under /tmp, not TMPDIR: the tests connect as other uids, and scripts/test's TMPDIR is 0700.
    dir = fs::path("/tmp") /
          ("usersctl_userdb_srv_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir);
    options.socket_path = (dir / "sub" / kService).string();  // the parent is created by the server
    options.use_listen_fds = false;
    options.passwd_path = (dir / "passwd").string();  // absent: the host defines nobody
    options.group_path = (dir / "group").string();
    options.limits.request_timeout = std::chrono::milliseconds(300);
  }
  void TearDown() override {
    stop();
    fs::remove_all(dir);
  }
  void start(AccountSource& served) {
    server = std::make_unique<UserdbServer>(options, served);
    runner = std::thread([this] { server->run(); });
  }
  void stop() {
    if (!server) return;
    server->stop();
    runner.join();
    server.reset();
  }
  std::vector<json> call(const json& parameters, bool more = false) {
    VarlinkTestClient client(options.socket_path);
    return client.call(kGetUser, parameters, more);
  }

  fs::path dir;
  ServeOptions options;
  testing::FixedAccountSource source = testing::sample_source();
  std::unique_ptr<UserdbServer> server;
  std::thread runner;
};

TEST_F(UserdbServerTest, SocketIsWorldWritableAndNamesTheService) {
  start(source);
  EXPECT_EQ(server->service_name(), kService);
  const auto perms = fs::status(options.socket_path).permissions();
  EXPECT_EQ(perms & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                        fs::perms::group_write | fs::perms::others_read |
                                        fs::perms::others_write);
}

TEST_F(UserdbServerTest, SeveralCallsOnOneConnection) {
  start(source);
  VarlinkTestClient client(options.socket_path);
  ASSERT_TRUE(client.connected());
  auto alice = client.call(kGetUser, {{"userName", "alice"}, {"service", kService}});
  ASSERT_EQ(alice.size(), 1u);
  EXPECT_EQ(alice[0]["parameters"]["record"]["uid"], 60001);
  EXPECT_EQ(alice[0]["parameters"]["record"]["service"], kService);
  auto all = client.call(kGetUser, {{"service", kService}}, true);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]["continues"], true);
  EXPECT_FALSE(all[1].contains("continues"));
  auto groups =
      client.call("io.systemd.UserDatabase.GetGroupRecord", {{"gid", 60100}, {"service", kService}});
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0]["parameters"]["record"]["members"], json::array({"alice"}));
  auto bad = client.call(kGetUser, {{"userName", "alice"}, {"service", "io.systemd.Home"}});
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0]["error"], "io.systemd.UserDatabase.BadService");
  EXPECT_EQ(client.call("org.varlink.service.GetInfo", json::object()).size(), 1u);
}

TEST_F(UserdbServerTest, PipelinedCallsAreAnsweredInOrder) {
  start(source);
  VarlinkTestClient client(options.socket_path);
  std::string bytes;
  for (const char* name : {"alice", "bob", "carol"}) {
    bytes += json({{"method", kGetUser}, {"parameters", {{"userName", name}, {"service", kService}}}}).dump();
    bytes.push_back('\0');
  }
  ASSERT_TRUE(client.send_raw(bytes));
  EXPECT_EQ(client.read_reply()["parameters"]["record"]["userName"], "alice");
  EXPECT_EQ(client.read_reply()["parameters"]["record"]["userName"], "bob");
  EXPECT_EQ(client.read_reply()["error"], "io.systemd.UserDatabase.NoRecordFound");
}

TEST_F(UserdbServerTest, ProtocolViolationClosesTheConnection) {
  start(source);
  VarlinkTestClient client(options.socket_path);
  ASSERT_TRUE(client.send_raw(std::string("garbage", 8)));
  EXPECT_TRUE(client.read_reply().is_null());
  VarlinkTestClient oversized(options.socket_path);
  oversized.send_raw(std::string(kMaxMessageBytes + 10, ' '));
  EXPECT_TRUE(oversized.read_reply().is_null());
  EXPECT_EQ(call({{"userName", "bob"}, {"service", kService}}).size(), 1u);  // the server lives on
}

// Runs one call as `uid` in a child process (raw syscalls only after fork) and returns the reply.
json call_as(uid_t uid, const std::string& path, const std::string& name) {
  std::string bytes =
      json({{"method", kGetUser}, {"parameters", {{"userName", name}, {"service", kService}}}}).dump();
  bytes.push_back('\0');
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return nullptr;
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_fds[0]);
    if (::setresgid(uid, uid, uid) != 0 || ::setresuid(uid, uid, uid) != 0) ::_exit(2);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.c_str(), path.size());
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) ::_exit(3);
    ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    char buffer[8192];
    ssize_t n;
    while ((n = ::recv(fd, buffer, sizeof(buffer), 0)) > 0) {
      ::write(pipe_fds[1], buffer, static_cast<std::size_t>(n));
      if (buffer[n - 1] == '\0') break;
    }
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string reply;
  char buffer[8192];
  ssize_t n;
  while ((n = ::read(pipe_fds[0], buffer, sizeof(buffer))) > 0)
    reply.append(buffer, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  if (reply.empty() || reply.back() != '\0') return nullptr;
  reply.pop_back();
  return json::parse(reply);
}

TEST_F(UserdbServerTest, PrivilegedSectionOnlyForRootAndTheUserThemself) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to connect as other uids";
  start(source);
  fs::permissions(dir, fs::perms::all);  // other uids must reach the socket
  fs::permissions(dir / "sub", fs::perms::all);
  const auto as_root = call({{"userName", "alice"}, {"service", kService}});
  ASSERT_EQ(as_root.size(), 1u);
  EXPECT_EQ(as_root[0]["parameters"]["record"]["privileged"]["hashedPassword"][0], "$6$salt$hash");
  const json as_alice = call_as(60001, options.socket_path, "alice");
  ASSERT_FALSE(as_alice.is_null());
  EXPECT_TRUE(as_alice["parameters"]["record"].contains("privileged"));
  EXPECT_EQ(as_alice["parameters"]["incomplete"], false);
  const json as_nobody = call_as(65534, options.socket_path, "alice");
  ASSERT_FALSE(as_nobody.is_null());
  EXPECT_FALSE(as_nobody["parameters"]["record"].contains("privileged"));
  EXPECT_EQ(as_nobody["parameters"]["incomplete"], true);
  const json bob_as_alice = call_as(60001, options.socket_path, "bob");
  EXPECT_FALSE(bob_as_alice["parameters"]["record"].contains("privileged"));
}

// Exit code of a child that, as `uid`, holds `connections` open and reports how many the server
// closed on it at once.
int closed_connections_as(uid_t uid, const std::string& path, int connections) {
  const pid_t child = ::fork();
  if (child == 0) {
    if (::setresgid(uid, uid, uid) != 0 || ::setresuid(uid, uid, uid) != 0) ::_exit(100);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.c_str(), path.size());
    int closed = 0;
    for (int i = 0; i < connections; ++i) {
      const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
      if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) ::_exit(101);
      pollfd in{fd, POLLIN, 0};
      char byte;
      if (::poll(&in, 1, 200) == 1 && ::recv(fd, &byte, 1, 0) == 0) ++closed;  // EOF: refused
    }
    ::_exit(closed);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(UserdbServerTest, OneUidCannotTakeEveryConnection) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to connect as another uid";
  options.max_connections_per_uid = 3;
  start(source);
  fs::permissions(dir, fs::perms::all);
  fs::permissions(dir / "sub", fs::perms::all);
  EXPECT_EQ(closed_connections_as(65534, options.socket_path, 5), 2);
  EXPECT_EQ(call({{"userName", "bob"}, {"service", kService}}).size(), 1u);  // root is not capped
  std::this_thread::sleep_for(std::chrono::milliseconds(100));               // the child's EOFs land
  EXPECT_EQ(closed_connections_as(65534, options.socket_path, 3), 0);        // the slots came back
}

TEST_F(UserdbServerTest, ThreeHundredParallelClientsAreAllAnswered) {
  start(source);
  constexpr int kClients = 300;
  std::atomic<int> connected{0}, answered{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      VarlinkTestClient client(options.socket_path);
      if (!client.connected()) return;
      ++connected;
      while (connected < kClients) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      auto replies =
          client.call(kGetUser, {{"uid", i % 2 ? 60001 : 60002}, {"service", kService}}, false, 10000);
      if (replies.size() == 1 && replies[0]["parameters"]["record"]["uid"] == (i % 2 ? 60001 : 60002))
        ++answered;
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(connected, kClients);
  EXPECT_EQ(answered, kClients);
}

TEST_F(UserdbServerTest, SlowSourceIsServiceNotAvailableWithinTheDeadline) {
  start(source);
  source.hold();
  const auto begin = std::chrono::steady_clock::now();
  const auto replies = call({{"userName", "alice"}, {"service", kService}});
  const auto elapsed = std::chrono::steady_clock::now() - begin;
  source.release();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0]["error"], "io.systemd.UserDatabase.ServiceNotAvailable");
  EXPECT_GE(elapsed, std::chrono::milliseconds(250));
  EXPECT_LT(elapsed, std::chrono::milliseconds(1500));
  EXPECT_EQ(call({{"userName", "alice"}, {"service", kService}}).size(), 1u);  // and it recovers
}

TEST_F(UserdbServerTest, UnavailableSourceIsAnsweredAtOnce) {
  start(source);
  source.unavailable = true;
  const auto begin = std::chrono::steady_clock::now();
  const auto replies = call({{"userName", "alice"}, {"service", kService}});
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::milliseconds(250));
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0]["error"], "io.systemd.UserDatabase.ServiceNotAvailable");
}

TEST_F(UserdbServerTest, EnumerationStreamsInsteadOfCollecting) {
  EndlessSource endless;
  start(endless);
  {
    VarlinkTestClient client(options.socket_path);
    json message = {{"method", kGetUser}, {"parameters", {{"service", kService}}}, {"more", true}};
    ASSERT_TRUE(client.send_raw(message.dump() + std::string(1, '\0')));
    for (int i = 0; i < 3; ++i) EXPECT_EQ(client.read_reply()["continues"], true);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    // Bounded by the channel plus the socket buffers, not by the directory (which is endless).
    EXPECT_LT(endless.produced.load(), 5000);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the closed peer stops the producer
  const int after = endless.produced.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(endless.produced.load(), after);
}

TEST_F(UserdbServerTest, StopRemovesTheSocket) {
  start(source);
  ASSERT_TRUE(fs::exists(options.socket_path));
  stop();
  EXPECT_FALSE(fs::exists(options.socket_path));
  EXPECT_FALSE(VarlinkTestClient(options.socket_path).connected());
}

TEST_F(UserdbServerTest, StaleSocketIsReplacedALiveOneIsNot) {
  fs::create_directories(dir / "sub");
  {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, options.socket_path.c_str(), sizeof(address.sun_path) - 1);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    ::close(fd);  // a crashed server's leftover
  }
  start(source);
  EXPECT_EQ(call({{"userName", "bob"}, {"service", kService}}).size(), 1u);
  EXPECT_THROW(UserdbServer(options, source), Conflict);
  EXPECT_EQ(call({{"userName", "bob"}, {"service", kService}}).size(), 1u);
}

// Socket activation: systemd binds the socket and passes it as fd 3 with LISTEN_PID/LISTEN_FDS.
TEST_F(UserdbServerTest, TakesTheSocketSystemdPassesAndLeavesItsFile) {
  // Under ctest fd 3 is often inherited: park it above the range and give it back at the end.
  const int fd3_flags = ::fcntl(3, F_GETFD);
  const int parked = fd3_flags == -1 ? -1 : ::fcntl(3, F_DUPFD_CLOEXEC, 100);
  if (parked != -1) ::close(3);
  struct Restore {
    int parked, flags;
    ~Restore() {
      if (parked == -1) return;
      ::dup2(parked, 3);
      ::fcntl(3, F_SETFD, flags);
      ::close(parked);
    }
  } restore{parked, fd3_flags};
  const std::string path = (dir / kService).string();
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(fd, 16), 0);
  if (fd != 3) {  // socket() takes the lowest free descriptor, which may be 3 already
    ASSERT_EQ(::dup2(fd, 3), 3);
    ::close(fd);
  }
  ::setenv("LISTEN_PID", std::to_string(::getpid()).c_str(), 1);
  ::setenv("LISTEN_FDS", "1", 1);
  options.use_listen_fds = true;
  options.socket_path = "/nonexistent/ignored";
  start(source);
  EXPECT_EQ(std::getenv("LISTEN_FDS"), nullptr);  // children must not claim it
  EXPECT_EQ(server->service_name(), kService);
  VarlinkTestClient client(path);
  EXPECT_EQ(client.call(kGetUser, {{"userName", "bob"}, {"service", kService}}).size(), 1u);
  stop();
  EXPECT_TRUE(fs::exists(path));  // systemd's socket file, not ours to remove
  EXPECT_EQ(::fcntl(3, F_GETFD), -1);
}

TEST_F(UserdbServerTest, HostAccountsAreHidden) {
  std::ofstream(options.passwd_path) << "alice:x:1000:1000::/home/alice:/bin/sh\n";
  start(source);
  EXPECT_EQ(call({{"userName", "alice"}, {"service", kService}})[0]["error"],
            "io.systemd.UserDatabase.NoRecordFound");
  EXPECT_EQ(call({{"service", kService}}, true).size(), 1u);
}

TEST_F(UserdbServerTest, ServeStopsOnSigtermAndSetsTheBypass) {
  std::atomic<int> result{-1};
  std::thread serving([&] { result = serve(options, source); });
  struct sigaction current {};
  for (int i = 0; i < 500; ++i) {
    ::sigaction(SIGTERM, nullptr, &current);
    if (current.sa_handler != SIG_DFL) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_NE(current.sa_handler, SIG_DFL);
  EXPECT_STREQ(std::getenv("SYSTEMD_BYPASS_USERDB"), kService);
  EXPECT_EQ(call({{"userName", "bob"}, {"service", kService}}).size(), 1u);
  ::kill(::getpid(), SIGTERM);
  serving.join();
  EXPECT_EQ(result, 0);
  EXPECT_FALSE(fs::exists(options.socket_path));
  ::sigaction(SIGTERM, nullptr, &current);
  EXPECT_EQ(current.sa_handler, SIG_DFL);
  ::unsetenv("SYSTEMD_BYPASS_USERDB");
}

}  // namespace
}  // namespace usersctl::userdb
