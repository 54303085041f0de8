#!/usr/bin/env zsh
# zsh -f zsh_complete.zsh SCRIPT LINE [fpath]
#
# Drives real zsh completion for the shell tests (test_e2e_shell.cpp): starts an interactive
# `zsh -f` on a pseudo-terminal (zpty), runs compinit and loads SCRIPT (sourced, or with "fpath"
# autoloaded from its folder as an installed _usersctl is), types LINE and TAB, and prints the
# command line as completion left it. Exit 2 when the shell never got ready.
zmodload zsh/zpty || exit 2
local script=$1 line=$2 mode=${3:-source}
local out=$(mktemp) reply
trap 'zpty -d z 2>/dev/null; rm -f $out' EXIT

zpty z zsh -f -i
if [[ $mode == fpath ]]; then
  zpty -w z "PS1=''; fpath=(${(q)script:h} \$fpath); autoload -U compinit; compinit -u -D; print READY-1"
else
  zpty -w z "PS1=''; autoload -U compinit; compinit -u -D; source ${(q)script}; print READY-1"
fi
zpty -r z reply '*READY-1*' || exit 2
# Ctrl-X writes the command line to $out: what TAB made of LINE.
zpty -w z "dump-buffer() { print -r -- \"\$BUFFER\" > ${(q)out}; BUFFER=; }; zle -N dump-buffer; bindkey '^X' dump-buffer; print READY-2"
zpty -r z reply '*READY-2*' || exit 2
zpty -w -n z "$line"$'\t'$'\x18'
for i in {1..200}; do
  [[ -s $out ]] && break
  sleep 0.05
done
cat $out
