#pragma once
// `search` in tiers, for both backends: the exact username and usernames starting with the text
// (from the username index), then every other match in row order, stopping once a page is full.
// Each backend gives only its SQL for the tiers (sqlite/search_sql, postgres/pg_search_sql).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/search_query.hpp"

namespace usersctl::store {

struct SearchSql {
  std::string username_prefix;  // (folded text, limit); empty when usernames are not searched
  std::string others;           // (others_param, limit); yields user ids, oldest first
  std::string others_param;
};

// The backend's column for each searched field (username, name, email, attrs), in that order;
// UsageError when no field is searched.
std::vector<std::string> search_columns(const model::SearchFields& fields, const char* const (&names)[4]);

// The first tier's SELECT when usernames are searched (else empty): `text` and `limit` are the
// backend's placeholders, `top` its expression for U+10FFFF (names are ASCII, so the range
// [text, text || U+10FFFF) is exactly "starts with text" in byte order).
std::string username_prefix_sql(const model::SearchFields& fields, const std::string& text,
                                const std::string& limit, const std::string& top);

// Takes the next id of a tier; false once the page is full (the tier stops reading).
using IdSink = std::function<bool(std::int64_t id)>;
// The backend runs one tier's SQL with its two parameters, (param, limit), and hands each id it
// yields to `take` until `take` returns false.
using ReadIds = std::function<void(const std::string& sql, const std::string& param, std::int64_t limit,
                                   const IdSink& take)>;

// The ids of the first query.limit matches in rank order: the username tier's (when usernames
// are searched), then the other tier's that are not among them.
std::vector<std::int64_t> search_user_ids(const model::SearchQuery& query, const SearchSql& sql,
                                          const ReadIds& read);

}  // namespace usersctl::store
