# bash completion for usersctl                                    -*- shell-script -*-
#
# Installed as share/bash-completion/completions/usersctl; `usersctl completion bash` prints this
# file. Load it by hand with: source <(usersctl completion bash)
#
# Commands, options and their values come from this file; user, group and profile names come live
# from the database through `usersctl __complete users|groups|profiles PREFIX`, which honours the
# --db and --profile already on the command line (and USERSCTL_DB, USERSCTL_PROFILE).

_usersctl_global_opts='--db --profile -o --output --fields --actor --events -q --quiet --no-headers --version -h --help'
# Options that take a value, whatever the command (no flag shares a name with one of them).
_usersctl_value_opts=(--db --read-db --profile -o --output --fields --actor --email --name --uid --group --attr
    --password-hash --rename --unset-attr --if-version --where --sort --limit --offset --after --in --gid
    --description --user --since --type --url --exec --secret-file --secret-format --types --timeout --format --shadow --group-file
    --home --shell --primary-group --file --socket --max-deletes --as-of --as --older-than --before
    --valid-from --expires-at --expiring-within --batch --max-attempts --exclude-actor --lease
    --retry-delay --keep-old)
_usersctl_user_fields='username uid gid name email home shell groups ssh_keys attrs disabled valid_from expires_at password_changed_at created_at updated_at created_by updated_by version'
_usersctl_group_fields='name gid description members created_at updated_at created_by updated_by version'
_usersctl_event_types='user.created user.updated user.deleted group.created group.updated group.deleted
  group.member_added group.member_removed settings.changed user.restored user.purged group.restored
  group.purged user.* group.* settings.*'

# _usersctl_commands PATH: the subcommands of PATH ("" for the top level); nothing for a leaf.
_usersctl_commands() {
    case $1 in
        '') echo 'add update delete show list search passwd check-password group ssh-key ssh-authorized-keys settings events hook import export apply history restore purge health userdb completion help version' ;;
        # help COMMAND...: the words of a command path, as after usersctl itself.
        help) _usersctl_commands '' ;;
        'help '*) _usersctl_commands "${1#help }" ;;
        group) echo 'create delete rename add remove set list show restore' ;;
        ssh-key) echo 'add list remove' ;;
        settings) echo 'list get set' ;;
        events) echo 'list tail deliver redeliver status prune consume consumers consumer' ;;
        'events consumer') echo 'delete' ;;
        hook) echo 'add list show remove test disable enable rotate-secret' ;;
        userdb) echo 'serve' ;;
    esac
}

# _usersctl_options PATH: the options of the command PATH.
_usersctl_options() {
    case $1 in
        add) echo '--email --name --uid --gid --primary-group --home --shell --group --attr --password --password-stdin --password-hash --disabled --valid-from --expires-at --if-not-exists --dry-run' ;;
        update) echo '--email --name --rename --uid --gid --primary-group --home --shell --attr --unset-attr --password-stdin --disable --enable --valid-from --expires-at --if-version --dry-run' ;;
        'ssh-key add') echo '--file' ;;
        delete) echo '--if-exists --purge --dry-run -y --yes' ;;
        list) echo '--where --group --enabled --disabled --sort --limit --offset --after --deleted --expired --expiring-within' ;;
        show) echo '--as-of --deleted' ;;
        history) echo '--group --limit --since' ;;
        restore | 'group restore') echo '--as' ;;
        purge) echo '--older-than' ;;
        'events prune') echo '--before' ;;
        search) echo '--in --limit' ;;
        passwd | check-password) echo '--password-stdin' ;;
        'group create') echo '--gid --description --if-not-exists --dry-run' ;;
        'group delete') echo '--force --if-exists --dry-run -y --yes' ;;
        'group rename' | 'group add' | 'group remove' | 'group set') echo '--dry-run' ;;
        'group list') echo '--user' ;;
        'events list') echo '--since --type --limit' ;;
        'events tail') echo '--since -f --follow' ;;
        'events deliver') echo '--now' ;;
        'events redeliver') echo '--failed' ;;
        'events consume') echo '--exec --batch --types -f --follow --max-attempts --exclude-actor --lease --retry-delay --timeout --dead-letters --retry-dead' ;;
        'hook add') echo '--name --url --exec --secret-file --secret-format --types --timeout --exclude-actor --if-not-exists' ;;
        'hook rotate-secret') echo '--secret-file --secret-format --keep-old' ;;
        import) echo '--format --dry-run --upsert -y --yes --shadow --group-file' ;;
        export) echo '--format --base-dn --include-password-hashes --output' ;;
        apply) echo '--format --dry-run --prune --allow-empty --max-deletes -y --yes' ;;
        'userdb serve') echo '--socket' ;;
    esac
}

# _usersctl_takes_value WORD: whether WORD is an option that takes a value.
_usersctl_takes_value() {
    local opt
    for opt in "${_usersctl_value_opts[@]}"; do
        [[ $1 == "$opt" ]] && return 0
    done
    return 1
}

# _usersctl_names KIND: live names of KIND starting with $cur, one per line.
_usersctl_names() {
    "$_usersctl_bin" __complete "$1" "${_usersctl_conn[@]}" -- "$cur" 2>/dev/null
}

# _usersctl_reply WORDS...: COMPREPLY from a word list, filtered by $cur.
_usersctl_reply() {
    local IFS=$' \t\n'
    COMPREPLY=($(compgen -W "$*" -- "$cur"))
}

# _usersctl_reply_list WORDS...: complete the last item of a comma-separated list.
_usersctl_reply_list() {
    local IFS=$' \t\n' head='' tail=$cur
    if [[ $cur == *,* ]]; then
        head=${cur%,*},
        tail=${cur##*,}
    fi
    COMPREPLY=($(compgen -W "$*" -P "$head" -- "$tail"))
    compopt -o nospace 2>/dev/null
}

_usersctl_reply_names() {
    local IFS=$'\n'
    COMPREPLY=($(_usersctl_names "$1"))
}

_usersctl() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=''
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # --opt=VALUE: bash made '=' a word of its own; complete the value of --opt.
    if [[ $cur == = ]]; then
        cur=''
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi
    local _usersctl_bin=${COMP_WORDS[0]}
    [[ $_usersctl_bin == '~/'* ]] && _usersctl_bin=$HOME/${_usersctl_bin#'~/'}
    local -a _usersctl_conn=()
    local path='' word i npos=0 sub
    COMPREPLY=()

    # Walk the words before the cursor: global connection options, the command path, positionals.
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        case $word in
            --db | --profile)
                [[ ${COMP_WORDS[i + 1]} == = ]] && ((i++))  # --db=PATH, split by bash
                ((i + 1 < COMP_CWORD)) && _usersctl_conn+=("$word" "${COMP_WORDS[i + 1]}")
                ((i++))
                continue
                ;;
            --db=* | --profile=*)
                _usersctl_conn+=("$word")
                continue
                ;;
            = | :)  # bash splits --opt=VALUE, KEY=VALUE and FIELD:desc: the word after it is a value
                ((i++))
                continue
                ;;
            -*)
                _usersctl_takes_value "$word" && ((i++))
                continue
                ;;
        esac
        # A word after a '=' or ':' that bash split off belongs to the previous word.
        [[ ${COMP_WORDS[i - 1]} == [=:] ]] && continue
        sub=$(_usersctl_commands "$path")
        if ((npos == 0)) && [[ -n $sub && " $sub " == *" $word "* ]]; then
            path=${path:+$path }$word
        else
            ((npos++))
        fi
    done

    # The value of an option.
    case $prev in
        --db | --secret-file | --shadow | --group-file | --file)
            local IFS=$'\n'
            COMPREPLY=($(compgen -f -- "$cur"))
            compopt -o filenames 2>/dev/null
            return 0
            ;;
        --profile) _usersctl_reply_names profiles; return 0 ;;
        -o | --output) _usersctl_reply table json jsonl csv tsv; return 0 ;;
        --fields)
            case $path in
                group*) _usersctl_reply_list "$_usersctl_group_fields" ;;
                events* | hook*) _usersctl_reply_list specversion id source type time subject sequence datacontenttype data ;;
                *) _usersctl_reply_list "$_usersctl_user_fields" ;;
            esac
            return 0
            ;;
        --group | --primary-group) _usersctl_reply_names groups; return 0 ;;
        --shell) _usersctl_reply $(grep -s '^/' /etc/shells); return 0 ;;
        --home)
            local IFS=$'\n'
            COMPREPLY=($(compgen -d -- "$cur"))
            compopt -o filenames 2>/dev/null
            return 0
            ;;
        --user) _usersctl_reply_names users; return 0 ;;
        --sort) _usersctl_reply username uid name email created_at updated_at \
            username:desc uid:desc name:desc email:desc created_at:desc updated_at:desc; return 0 ;;
        --where)
            _usersctl_reply username= uid= name= email= created_by= updated_by= disabled= attrs.
            compopt -o nospace 2>/dev/null
            return 0
            ;;
        --in) _usersctl_reply_list username name email attrs; return 0 ;;
        --type) _usersctl_reply "$_usersctl_event_types"; return 0 ;;
        --types) _usersctl_reply_list "$_usersctl_event_types"; return 0 ;;
        --secret-format) _usersctl_reply whsec raw; return 0 ;;
        --format)
            case $path in
                import) _usersctl_reply jsonl csv passwd dump ldif ;;
                apply) _usersctl_reply jsonl csv ;;
                *) _usersctl_reply jsonl csv passwd group shadow dump ldif ;;
            esac
            return 0
            ;;
    esac
    _usersctl_takes_value "$prev" && return 0  # a free-form value: nothing to offer

    if [[ $cur == -* ]]; then
        _usersctl_reply "$(_usersctl_options "$path") $_usersctl_global_opts"
        return 0
    fi

    sub=$(_usersctl_commands "$path")
    if [[ -n $sub ]] && ((npos == 0)); then
        _usersctl_reply "$sub"
        return 0
    fi

    # Positionals: which names fit where.
    case "$path:$npos" in
        update:0 | show:0 | passwd:0 | check-password:0 | delete:* | 'ssh-key '*:0 | ssh-authorized-keys:0 | history:0)
            _usersctl_reply_names users
            ;;
        'settings get:0' | 'settings set:0')
            _usersctl_reply uid_range gid_range home_base default_shell events_keep_days recycle_days
            ;;
        'group delete:0' | 'group rename:0' | 'group show:0' | 'group add:0' | 'group remove:0' | 'group set:0')
            _usersctl_reply_names groups
            ;;
        'group add:'* | 'group remove:'* | 'group set:'*) _usersctl_reply_names users ;;
        completion:0) _usersctl_reply bash zsh fish ;;
        import:0 | apply:0)
            local IFS=$'\n'
            COMPREPLY=($(compgen -f -- "$cur"))
            compopt -o filenames 2>/dev/null
            ;;
    esac
    return 0
}

complete -F _usersctl usersctl
