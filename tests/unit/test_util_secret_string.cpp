// A plaintext password in memory is wiped when it goes, and holding one makes the process
// non-dumpable (issue 20).

#include <gtest/gtest.h>
#include <sys/prctl.h>

#include <algorithm>
#include <memory>
#include <new>
#include <string>
#include <utility>

#include "util/secret_string.hpp"

using usersctl::util::SecretString;

namespace {

bool all_zero(const unsigned char* bytes, std::size_t size) {
  return std::all_of(bytes, bytes + size, [](unsigned char b) { return b == 0; });
}

bool holds(const unsigned char* bytes, std::size_t size, const std::string& text) {
  return std::search(bytes, bytes + size, text.begin(), text.end()) != bytes + size;
}

}  // namespace

TEST(SecretString, WipesItsBytesOnDestruction) {
  // The object's own storage, looked at after its destructor ran: the bytes live inside it.
  alignas(SecretString) unsigned char storage[sizeof(SecretString)];
  auto* secret = new (storage) SecretString("Hunter2-canary");
  ASSERT_TRUE(holds(storage, sizeof storage, "Hunter2-canary"));
  secret->~SecretString();
  EXPECT_FALSE(holds(storage, sizeof storage, "Hunter2-canary"));
  EXPECT_TRUE(all_zero(storage, SecretString::kCapacity));
}

TEST(SecretString, AMovedFromOrOverwrittenOneIsWipedToo) {
  alignas(SecretString) unsigned char storage[sizeof(SecretString)];
  auto* source = new (storage) SecretString("Moved-canary");
  SecretString target(std::move(*source));
  EXPECT_EQ(target.view(), "Moved-canary");
  EXPECT_FALSE(holds(storage, sizeof storage, "Moved-canary"));
  *source = SecretString("Second-canary");
  *source = SecretString("x");
  EXPECT_FALSE(holds(storage, sizeof storage, "Second-canary"));
  source->~SecretString();
}

TEST(SecretString, HoldsAtMostItsCapacityAndStaysNulTerminated) {
  SecretString secret;
  for (std::size_t i = 0; i < SecretString::kCapacity; ++i) ASSERT_TRUE(secret.push_back('a'));
  EXPECT_FALSE(secret.push_back('b'));
  EXPECT_EQ(secret.size(), SecretString::kCapacity);
  EXPECT_EQ(std::string(secret.c_str()).size(), SecretString::kCapacity);
  secret.pop_back();
  EXPECT_EQ(secret.view(), std::string(SecretString::kCapacity - 1, 'a'));
  EXPECT_EQ(SecretString(std::string(5000, 'z')).size(), SecretString::kCapacity);
}

TEST(SecretString, HoldingOneMakesTheProcessNonDumpable) {
  const SecretString secret("x");
  EXPECT_EQ(::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

TEST(SecretString, WipeOfAStdStringClearsItsWholeBuffer) {
  std::string text = "a-long-enough-password-to-be-on-the-heap-canary";
  const char* data = text.data();
  const std::size_t capacity = text.capacity();
  usersctl::util::wipe(text);
  EXPECT_TRUE(text.empty());
  EXPECT_EQ(text.data(), data);  // the same buffer, not a new one
  EXPECT_TRUE(all_zero(reinterpret_cast<const unsigned char*>(data), capacity));
}
