#include "util/url_redaction.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace usersctl::util {

namespace {

// A secret inside the text: [start, start + length).
using Span = std::pair<std::size_t, std::size_t>;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A parameter or keyword that holds a secret: the name, or its last `_`/`-` part, is one of these.
// `passwordfile`, `sslkey` (paths) and `mypassword` are not.
bool secret_name(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "password", "sslpassword", "passwd",    "pass", "pwd",  "token",         "key",
      "apikey",   "secret",      "signature", "sig",  "auth", "authorization", "credential"};
  const std::string whole = lower(name);
  const auto cut = whole.find_last_of("_-");
  const std::string tail = cut == std::string::npos ? whole : whole.substr(cut + 1);
  return std::any_of(std::begin(kNames), std::end(kNames),
                     [&](std::string_view n) { return whole == n || tail == n; });
}

// A host list as libpq and libcurl take it: names, IPv4/IPv6 literals, ports, commas.
bool host_like(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view(".-_:[],%").find(c) != std::string_view::npos;
  });
}

// Where the host starts: after the '@' that ends the userinfo. That is the last '@' before the path
// whose following text, up to the path, query or fragment, is a host; so the password may hold a raw
// '@', '?' or '#' (libpq takes them) and still counts as the password.
std::size_t userinfo_end(std::string_view url, std::size_t authority_start, std::size_t* at_out) {
  const auto path = url.find('/', authority_start);
  const std::string_view before_path =
      url.substr(authority_start, path == std::string_view::npos ? path : path - authority_start);
  for (auto at = before_path.rfind('@'); at != std::string_view::npos;
       at = at == 0 ? std::string_view::npos : before_path.rfind('@', at - 1)) {
    const std::string_view after = before_path.substr(at + 1);
    if (host_like(after.substr(0, after.find_first_of("?#")))) {
      *at_out = authority_start + at;
      return authority_start + at + 1;
    }
  }
  *at_out = std::string_view::npos;
  return authority_start;
}

void query_secrets(std::string_view url, std::size_t host_start, std::vector<Span>& spans) {
  const auto question = url.find('?', host_start);
  if (question == std::string_view::npos) return;
  const auto hash = url.find('#', question);
  const std::size_t end = hash == std::string_view::npos ? url.size() : hash;
  for (std::size_t start = question + 1; start <= end;) {
    auto stop = url.find('&', start);
    if (stop == std::string_view::npos || stop > end) stop = end;
    const std::string_view param = url.substr(start, stop - start);
    const auto equals = param.find('=');
    if (equals != std::string_view::npos && equals + 1 < param.size() &&
        secret_name(param.substr(0, equals))) {
      spans.emplace_back(start + equals + 1, param.size() - equals - 1);
    }
    start = stop + 1;
  }
}

std::vector<Span> url_spans(std::string_view url, std::size_t scheme_end) {
  std::vector<Span> spans;
  const std::size_t authority_start = scheme_end + 3;
  std::size_t at = std::string_view::npos;
  const std::size_t host_start = userinfo_end(url, authority_start, &at);
  if (at != std::string_view::npos) {
    const auto colon = url.substr(authority_start, at - authority_start).find(':');
    if (colon != std::string_view::npos && authority_start + colon + 1 < at) {
      spans.emplace_back(authority_start + colon + 1, at - authority_start - colon - 1);
    }
  }
  query_secrets(url, host_start, spans);
  return spans;
}

// libpq's `host=h password='it''s' dbname=d`: whitespace-separated `keyword = value`, a value
// either bare or single-quoted with backslash escapes.
std::vector<Span> conninfo_spans(std::string_view text) {
  std::vector<Span> spans;
  std::size_t i = 0;
  const auto skip_space = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) != 0) ++i;
  };
  while (true) {
    skip_space();
    const std::size_t key_start = i;
    while (i < text.size() && text[i] != '=' && std::isspace(static_cast<unsigned char>(text[i])) == 0) ++i;
    const std::string_view key = text.substr(key_start, i - key_start);
    skip_space();
    if (key.empty() || i >= text.size() || text[i] != '=') return spans;
    ++i;
    skip_space();
    const std::size_t value_start = i;
    if (i < text.size() && text[i] == '\'') {
      for (++i; i < text.size() && text[i] != '\''; ++i) {
        if (text[i] == '\\') ++i;
      }
      i = std::min(i + 1, text.size());
    } else {
      while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) == 0) ++i;
    }
    if (secret_name(key) && i > value_start) spans.emplace_back(value_start, i - value_start);
  }
}

// A libpq keyword string starts with `keyword=` (a path never does, in practice).
bool looks_like_conninfo(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) != 0) ++i;
  const std::size_t start = i;
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) != 0 || text[i] == '_')) ++i;
  while (i < text.size() && text[i] == ' ') ++i;
  return i > start && i < text.size() && text[i] == '=';
}

std::vector<Span> secret_spans(std::string_view text) {
  const auto scheme_end = text.find("://");
  if (scheme_end != std::string_view::npos && scheme_end > 0 &&
      text.substr(0, scheme_end).find_first_of("/ =") == std::string_view::npos) {
    return url_spans(text, scheme_end);
  }
  if (looks_like_conninfo(text)) return conninfo_spans(text);
  return {};
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) != 0 &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2])) != 0) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string redact_url(std::string_view url) {
  std::string out;
  std::size_t done = 0;
  for (const auto& [start, length] : secret_spans(url)) {
    out += url.substr(done, start - done);
    out += "***";
    done = start + length;
  }
  out += url.substr(done);
  return out;
}

std::vector<std::string> url_secrets(std::string_view url) {
  std::vector<std::string> secrets;
  for (const auto& [start, length] : secret_spans(url)) {
    std::string_view value = url.substr(start, length);
    if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'')
      value = value.substr(1, value.size() - 2);
    if (value.empty()) continue;
    secrets.emplace_back(value);
    std::string decoded = percent_decode(value);
    if (decoded != value && !decoded.empty()) secrets.push_back(std::move(decoded));
    // libpq ends the userinfo at the first '@': with "u:p@rest@host" it reports the host
    // "rest@host", so what follows that '@' (and its own '@') is a secret in its messages too.
    if (const auto at = value.find('@'); at != std::string_view::npos) {
      secrets.push_back(std::string(value.substr(at + 1)) + "@");
    }
  }
  return secrets;
}

// Every place any secret stands in the text as given is marked first, then each marked stretch
// becomes one ***: replacing in turn would let a later secret match (and grow) an earlier mask.
std::string scrub_secrets(std::string text, const std::vector<std::string>& secrets) {
  std::vector<bool> secret_at(text.size(), false);
  bool any = false;
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 1)) {
      std::fill(secret_at.begin() + static_cast<std::ptrdiff_t>(at),
                secret_at.begin() + static_cast<std::ptrdiff_t>(at + secret.size()), true);
      any = true;
    }
  }
  if (!any) return text;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!secret_at[i]) {
      out += text[i];
    } else if (i == 0 || !secret_at[i - 1]) {
      out += "***";
    }
  }
  return out;
}

}  // namespace usersctl::util
