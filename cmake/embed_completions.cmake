# Writes a C++ source that holds the completion scripts byte for byte, so that
# `usersctl completion bash|zsh|fish` prints exactly the files in completions/ (one source of truth).
#
#   cmake -DOUTPUT=completion_scripts.cpp -DBASH=usersctl.bash -DZSH=_usersctl -DFISH=usersctl.fish \
#         -P cmake/embed_completions.cmake

# Every byte as a \xHH escape in string literals of 32 bytes each (the compiler joins them): exact
# whatever the file holds, with no raw-string delimiter that a script could clash with.
function(embed_bytes variable file)
  file(READ "${file}" hex HEX)
  string(LENGTH "${hex}" length)
  set(literals "")
  set(offset 0)
  while(offset LESS length)
    string(SUBSTRING "${hex}" ${offset} 64 chunk)
    string(REGEX REPLACE "(..)" "\\\\x\\1" chunk "${chunk}")
    string(APPEND literals "\n    \"${chunk}\"")
    math(EXPR offset "${offset} + 64")
  endwhile()
  if(literals STREQUAL "")
    set(literals "\"\"")
  endif()
  set(${variable} "${literals}" PARENT_SCOPE)
endfunction()

foreach(shell BASH ZSH FISH)
  if(NOT DEFINED ${shell} OR NOT EXISTS "${${shell}}")
    message(FATAL_ERROR "embed_completions: -D${shell}=FILE is missing or does not exist")
  endif()
  embed_bytes(${shell}_LITERALS "${${shell}}")
endforeach()

file(WRITE "${OUTPUT}.tmp" "// Generated from completions/ by cmake/embed_completions.cmake; do not edit.
#include \"cli/completion_scripts.hpp\"

namespace usersctl::cli {

namespace {

constexpr char kBash[] =${BASH_LITERALS};
constexpr char kZsh[] =${ZSH_LITERALS};
constexpr char kFish[] =${FISH_LITERALS};

}  // namespace

std::string_view completion_script(std::string_view shell) {
  // sizeof counts the literal's closing NUL, which is not part of the script.
  if (shell == \"bash\") return {kBash, sizeof kBash - 1};
  if (shell == \"zsh\") return {kZsh, sizeof kZsh - 1};
  if (shell == \"fish\") return {kFish, sizeof kFish - 1};
  return {};
}

}  // namespace usersctl::cli
")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
