# fish completion for usersctl.
#
# Installed as share/fish/vendor_completions.d/usersctl.fish; `usersctl completion fish` prints this
# file. Load it by hand with: usersctl completion fish | source
#
# Commands, options and their values come from this file; user, group and profile names come live
# from the database through `usersctl __complete users|groups|profiles PREFIX`, which honours the
# --db and --profile already on the command line (and USERSCTL_DB, USERSCTL_PROFILE).

# Options that take a value, whatever the command (no flag shares a name with one of them).
set -g __usersctl_value_opts --db --profile -o --output --fields --actor --email --name --uid --group \
    --attr --password-hash --rename --unset-attr --if-version --where --sort --limit --offset --after --in \
    --gid --description --user --since --type --url --exec --secret-file --types --format --shadow --group-file \
    --home --shell --primary-group --file --socket --as-of --as --older-than --before --valid-from --expires-at \
    --expiring-within

function __usersctl_subcommands -a path
    switch "$path"
        case ''
            echo add update delete show list search passwd check-password group ssh-key ssh-authorized-keys settings events hook import export apply history restore purge health userdb completion help version
        case help
            __usersctl_subcommands ''
        case 'help *'
            __usersctl_subcommands (string replace -r '^help ' '' -- "$path")
        case ssh-key
            echo add list remove
        case settings
            echo list get set
        case group
            echo create delete rename add remove set list show restore
        case events
            echo list tail deliver redeliver status prune consume consumers consumer
        case hook
            echo add list show remove test disable enable rotate-secret
        case userdb
            echo serve
    end
end

# Prints the command path typed so far (e.g. "group add") on the first line and the number of
# positional arguments after it on the second.
function __usersctl_state
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path
    set -l npos 0
    set -l skip 0
    for t in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        if contains -- $t $__usersctl_value_opts
            set skip 1
            continue
        end
        if string match -q -- '-*' $t
            continue
        end
        set -l subs (string split ' ' -- (__usersctl_subcommands "$path"))
        if test $npos -eq 0; and test -n "$subs[1]"; and contains -- $t $subs
            set -a path $t
        else
            set npos (math $npos + 1)
        end
    end
    echo "$path"
    echo $npos
end

# __usersctl_at PATH [N]: the command path is PATH and, when N is given, N positionals are typed
# (N may be "+" for one or more). PATH "" is the top level, before any command.
function __usersctl_at -a want n
    set -l state (__usersctl_state)
    test "$state[1]" = "$want"; or return 1
    switch "$n"
        case ''
            return 0
        case '+'
            test $state[2] -ge 1
        case '*'
            test $state[2] -eq $n
    end
end

# __usersctl_needs_command PATH: at PATH (a command with subcommands), where one comes next.
function __usersctl_needs_command -a want
    __usersctl_at "$want" 0
end

# __usersctl_names KIND: live names of KIND for the token under the cursor.
function __usersctl_names -a kind
    set -l tokens (commandline -opc)
    set -l conn
    for i in (seq 2 (count $tokens))
        switch $tokens[$i]
            case --db --profile
                set -l next (math $i + 1)
                if test $next -le (count $tokens)
                    set -a conn $tokens[$i] $tokens[$next]
                end
            case '--db=*' '--profile=*'
                set -a conn $tokens[$i]
        end
    end
    command $tokens[1] __complete $kind $conn -- (commandline -ct) 2>/dev/null
end

set -l user_fields username uid gid name email home shell groups ssh_keys attrs disabled valid_from expires_at \
    password_changed_at created_at updated_at created_by updated_by version
set -l event_types user.created user.updated user.deleted group.created group.updated group.deleted \
    group.member_added group.member_removed settings.changed user.restored user.purged group.restored group.purged \
    'user.\\*' 'group.\\*' 'settings.\\*'

complete -c usersctl -e
complete -c usersctl -f

# Global options, before or after the command.
complete -c usersctl -l db -r -F -d 'Database URL: PATH, sqlite:PATH or postgresql://…'
complete -c usersctl -l read-db -r -F -d 'Database URL for read-only commands'
complete -c usersctl -l profile -x -a '(__usersctl_names profiles)' -d 'Config profile to use'
complete -c usersctl -s o -l output -x -a 'table json jsonl csv tsv' -d 'Output format'
complete -c usersctl -l fields -x -a "(__fish_append , $user_fields)" -d 'Fields to show, in order'
complete -c usersctl -l actor -x -d 'Name recorded as who made the change'
complete -c usersctl -l events -d 'Print the events this command caused (JSONL) on stdout'
complete -c usersctl -s q -l quiet -d 'No confirmations on stderr'
complete -c usersctl -l no-headers -d 'No header row in table, csv and tsv output'
complete -c usersctl -l version -d 'Print the version and exit'
complete -c usersctl -s h -l help -d 'Print help and exit'

# Commands.
set -l top '__usersctl_needs_command ""'
complete -c usersctl -n $top -a add -d 'Create a user'
complete -c usersctl -n $top -a update -d 'Change a user'
complete -c usersctl -n $top -a delete -d 'Delete users to the recycle bin'
complete -c usersctl -n $top -a show -d 'Show one user'
complete -c usersctl -n $top -a list -d 'List users'
complete -c usersctl -n $top -a search -d 'Find users by a case-insensitive fragment'
complete -c usersctl -n $top -a passwd -d "Set a user's password"
complete -c usersctl -n $top -a check-password -d 'Exit 0 if the password matches, 1 if not'
complete -c usersctl -n $top -a group -d 'Manage groups and memberships'
complete -c usersctl -n $top -a ssh-key -d "A user's SSH public keys"
complete -c usersctl -n $top -a ssh-authorized-keys -d "Print an enabled user's SSH keys for sshd"
complete -c usersctl -n $top -a settings -d 'Database-wide settings: id ranges, home base, default shell'
complete -c usersctl -n $top -a events -d 'The change feed and its delivery to hooks'
complete -c usersctl -n $top -a hook -d 'Webhooks and exec hooks that receive events'
complete -c usersctl -n $top -a import -d 'Create users from a file, all or nothing, in one transaction'
complete -c usersctl -n $top -a export -d 'Print every user (or group) as jsonl, csv, passwd or group lines'
complete -c usersctl -n $top -a apply -d 'Make the users match a desired-state file'
complete -c usersctl -n $top -a history -d 'Every change to a user or group, newest first'
complete -c usersctl -n $top -a restore -d 'Bring a deleted user back from the recycle bin'
complete -c usersctl -n $top -a purge -d 'Remove deleted users for good from the recycle bin'
complete -c usersctl -n $top -a health -d 'Show the database, schema and record counts'
complete -c usersctl -n $top -a userdb -d 'Serve the users to the host (getent, id, PAM, sshd)'
complete -c usersctl -n '__usersctl_needs_command userdb' -a serve -d 'Answer io.systemd.UserDatabase lookups from the database'
complete -c usersctl -n $top -a completion -d 'Print the shell completion script'
complete -c usersctl -n $top -a help -d 'Show the help of a command'
# help COMMAND...: the words of the command path typed after help.
function __usersctl_in_help
    set -l state (__usersctl_state)
    string match -q -- 'help*' "$state[1]"; and test $state[2] -eq 0
end
complete -c usersctl -n __usersctl_in_help -a '(string split " " -- (__usersctl_subcommands (__usersctl_state)[1]))'
complete -c usersctl -n $top -a version -d 'Print the version (-o json: schema versions, backends)'

# add
complete -c usersctl -n '__usersctl_at add' -l email -x -d 'Email address'
complete -c usersctl -n '__usersctl_at add' -l name -x -d 'Display name'
complete -c usersctl -n '__usersctl_at add' -l group -x -a '(__usersctl_names groups)' -d 'Add to this existing group'
complete -c usersctl -n '__usersctl_at add' -l attr -x -d 'Attribute KEY=VALUE'
complete -c usersctl -n '__usersctl_at add' -l password-stdin -d 'Read the password from stdin'
complete -c usersctl -n '__usersctl_at add' -l password-hash -x -d 'Use an existing crypt(3) hash'
complete -c usersctl -n '__usersctl_at add' -l disabled -d 'Create the account disabled'
complete -c usersctl -n '__usersctl_at add' -l if-not-exists -d 'Succeed without change if the user exists'
complete -c usersctl -n '__usersctl_at add' -l password -d 'Ask for the password on the terminal'
complete -c usersctl -n '__usersctl_at add' -l dry-run -d 'Change nothing: print the plan'
complete -c usersctl -n '__usersctl_at add' -l valid-from -x -d 'No login before DATE'
complete -c usersctl -n '__usersctl_at add' -l expires-at -x -d 'No login from DATE on (never: no bound)'

# update
complete -c usersctl -n '__usersctl_at update 0' -a '(__usersctl_names users)'
complete -c usersctl -n '__usersctl_at update' -l email -x -d 'New email (empty clears it)'
complete -c usersctl -n '__usersctl_at update' -l name -x -d 'New display name'
complete -c usersctl -n '__usersctl_at update' -l rename -x -d 'New user name'
complete -c usersctl -n '__usersctl_at update' -l attr -x -d 'Set attribute KEY=VALUE'
complete -c usersctl -n '__usersctl_at update' -l unset-attr -x -d 'Remove attribute KEY'
complete -c usersctl -n '__usersctl_at update' -l password-stdin -d 'Read a new password from stdin'
complete -c usersctl -n '__usersctl_at update' -l disable -d 'Disable the account'
complete -c usersctl -n '__usersctl_at update' -l enable -d 'Enable the account'
complete -c usersctl -n '__usersctl_at update' -l if-version -x -d 'Only if the record is at this version'
complete -c usersctl -n '__usersctl_at update' -l dry-run -d 'Change nothing: print the plan'
complete -c usersctl -n '__usersctl_at update' -l valid-from -x -d 'No login before DATE (never: no bound)'
complete -c usersctl -n '__usersctl_at update' -l expires-at -x -d 'No login from DATE on (never: no bound)'

# delete, show, passwd, check-password
complete -c usersctl -n '__usersctl_at delete' -a '(__usersctl_names users)'
complete -c usersctl -n '__usersctl_at delete' -l if-exists -d 'Skip users that do not exist'
complete -c usersctl -n '__usersctl_at delete' -l dry-run -d 'Change nothing: print the plan'
complete -c usersctl -n '__usersctl_at delete' -s y -l yes -d 'Do not ask before deleting several users'
complete -c usersctl -n '__usersctl_at delete' -l purge -d 'Skip the recycle bin: the delete is final'
complete -c usersctl -n '__usersctl_at show 0' -a '(__usersctl_names users)'
complete -c usersctl -n '__usersctl_at show' -l as-of -x -d 'The record as it was then (TIME or SEQ)'
complete -c usersctl -n '__usersctl_at show' -l deleted -d 'The user in the recycle bin'
complete -c usersctl -n '__usersctl_at history 0' -a '(__usersctl_names users)'
complete -c usersctl -n '__usersctl_at history' -l group -x -a '(__usersctl_names groups)' -d "A group's history"
complete -c usersctl -n '__usersctl_at history' -l limit -x -d 'At most N changes'
complete -c usersctl -n '__usersctl_at history' -l since -x -d 'Only changes after SEQ, or from TIME on'
complete -c usersctl -n '__usersctl_at restore' -l as -x -d 'Restore under this name'
complete -c usersctl -n '__usersctl_at purge' -l older-than -x -d 'Everything binned more than DAYS ago'
complete -c usersctl -n '__usersctl_at passwd 0' -a '(__usersctl_names users)'
complete -c usersctl -n '__usersctl_at passwd' -l password-stdin -d 'Read the password from stdin'
complete -c usersctl -n '__usersctl_at check-password 0' -a '(__usersctl_names users)'
complete -c usersctl -n '__usersctl_at check-password' -l password-stdin -d 'Read the password from stdin'

# list, search
complete -c usersctl -n '__usersctl_at list' -l where -x -a 'username= uid= name= email= created_by= updated_by= disabled= attrs.' -d 'Only records with FIELD=VALUE'
complete -c usersctl -n '__usersctl_at list' -l group -x -a '(__usersctl_names groups)' -d 'Only members of this group'
complete -c usersctl -n '__usersctl_at list' -l enabled -d 'Only enabled accounts'
complete -c usersctl -n '__usersctl_at list' -l disabled -d 'Only disabled accounts'
complete -c usersctl -n '__usersctl_at list' -l deleted -d 'The users in the recycle bin'
complete -c usersctl -n '__usersctl_at list' -l expired -d 'Only accounts outside their validity window'
complete -c usersctl -n '__usersctl_at list' -l expiring-within -x -d 'Only accounts expiring within SPAN (7d, 12h)'
complete -c usersctl -n '__usersctl_at list' -l sort -x -a 'username uid name email created_at updated_at username:desc uid:desc name:desc email:desc created_at:desc updated_at:desc' -d 'Order by FIELD[:desc]'
complete -c usersctl -n '__usersctl_at list' -l limit -x -d 'At most N records'
complete -c usersctl -n '__usersctl_at list' -l offset -x -d 'Skip the first N records'
complete -c usersctl -n '__usersctl_at list' -l after -x -d 'Continue after this cursor'
complete -c usersctl -n '__usersctl_at search' -l in -x -a '(__fish_append , username name email attrs)' -d 'Fields to search'
complete -c usersctl -n '__usersctl_at search' -l limit -x -d 'At most N users'

for cmd in add update
    complete -c usersctl -n "__usersctl_at $cmd" -l uid -x -d 'Numeric user id'
    complete -c usersctl -n "__usersctl_at $cmd" -l primary-group -x -a '(__usersctl_names groups)' -d 'Primary group: an existing group'
    complete -c usersctl -n "__usersctl_at $cmd" -l gid -x -d "Primary gid: a group's, or the own uid"
    complete -c usersctl -n "__usersctl_at $cmd" -l home -x -a '(__fish_complete_directories)' -d 'Home folder'
    complete -c usersctl -n "__usersctl_at $cmd" -l shell -x -a '(string match "/*" < /etc/shells)' -d 'Login shell'
end

# ssh-key, ssh-authorized-keys
set -l k '__usersctl_needs_command ssh-key'
complete -c usersctl -n $k -a add -d 'Add SSH public keys (authorized_keys lines) to a user'
complete -c usersctl -n $k -a list -d "List a user's SSH public keys"
complete -c usersctl -n $k -a remove -d "Remove one of a user's SSH public keys"
for sub in add list remove
    complete -c usersctl -n "__usersctl_at 'ssh-key $sub' 0" -a '(__usersctl_names users)'
end
complete -c usersctl -n '__usersctl_at "ssh-key add"' -l file -r -F -d 'Read key lines from this file'
complete -c usersctl -n '__usersctl_at ssh-authorized-keys 0' -a '(__usersctl_names users)'

# settings
set -l s '__usersctl_needs_command settings'
complete -c usersctl -n $s -a list -d 'Show every setting and its value'
complete -c usersctl -n $s -a get -d 'Print the value of a setting'
complete -c usersctl -n $s -a set -d 'Change a setting'
for sub in get set
    complete -c usersctl -n "__usersctl_at 'settings $sub' 0" -a 'uid_range gid_range home_base default_shell events_keep_days recycle_days'
end

# group
set -l g '__usersctl_needs_command group'
complete -c usersctl -n $g -a create -d 'Create a group'
complete -c usersctl -n $g -a delete -d 'Delete a group (refused while it has members)'
complete -c usersctl -n $g -a rename -d 'Rename a group (memberships stay)'
complete -c usersctl -n $g -a add -d 'Add users to a group'
complete -c usersctl -n $g -a remove -d 'Remove users from a group'
complete -c usersctl -n $g -a set -d 'Make the membership exactly these users'
complete -c usersctl -n $g -a list -d 'List groups'
complete -c usersctl -n $g -a show -d 'Show one group with its members'
complete -c usersctl -n '__usersctl_at "group create"' -l gid -x -d 'Numeric group id'
complete -c usersctl -n '__usersctl_at "group create"' -l description -x -d 'What the group is for'
complete -c usersctl -n '__usersctl_at "group create"' -l if-not-exists -d 'Succeed without change if the group exists'
complete -c usersctl -n '__usersctl_at "group delete"' -l force -d 'Also remove its memberships'
complete -c usersctl -n '__usersctl_at "group delete"' -l if-exists -d 'Succeed without change if the group does not exist'
complete -c usersctl -n '__usersctl_at "group delete"' -s y -l yes -d 'Do not ask before removing memberships'
complete -c usersctl -n '__usersctl_at "group create"' -l dry-run -d 'Change nothing: print the plan'
complete -c usersctl -n '__usersctl_at "group delete"' -l dry-run -d 'Change nothing: print the plan'
complete -c usersctl -n '__usersctl_at "group rename"' -l dry-run -d 'Change nothing: print the plan'
complete -c usersctl -n '__usersctl_at "group add"' -l dry-run -d 'Change nothing: print the plan'
complete -c usersctl -n '__usersctl_at "group remove"' -l dry-run -d 'Change nothing: print the plan'
complete -c usersctl -n '__usersctl_at "group set"' -l dry-run -d 'Change nothing: print the plan'
for sub in delete rename show add remove set
    complete -c usersctl -n "__usersctl_at 'group $sub' 0" -a '(__usersctl_names groups)'
end
for sub in add remove set
    complete -c usersctl -n "__usersctl_at 'group $sub' +" -a '(__usersctl_names users)'
end
complete -c usersctl -n $g -a restore -d 'Bring a deleted group back, with its members'
complete -c usersctl -n '__usersctl_at "group restore"' -l as -x -d 'Restore under this name'
complete -c usersctl -n '__usersctl_at "group list"' -l user -x -a '(__usersctl_names users)' -d 'Only groups this user belongs to'

# events
set -l e '__usersctl_needs_command events'
complete -c usersctl -n $e -a list -d 'List events after a sequence number'
complete -c usersctl -n $e -a tail -d 'Print the change feed as JSON Lines'
complete -c usersctl -n $e -a deliver -d 'Send pending deliveries that are due'
complete -c usersctl -n $e -a redeliver -d 'Queue deliveries again'
complete -c usersctl -n $e -a status -d 'Pending and failed deliveries per hook'
complete -c usersctl -n $e -a prune -d 'Drop old events (never one still pending delivery)'
complete -c usersctl -n '__usersctl_at "events prune"' -l before -x -d 'Drop the events before SEQ or TIME'
complete -c usersctl -n '__usersctl_at "events list"' -l since -x -d 'Only events after this sequence number'
complete -c usersctl -n '__usersctl_at "events list"' -l type -x -a "$event_types" -d 'Only this type or family'
complete -c usersctl -n '__usersctl_at "events list"' -l limit -x -d 'At most N events'
complete -c usersctl -n '__usersctl_at "events tail"' -l since -x -d 'Start after this sequence number'
complete -c usersctl -n '__usersctl_at "events tail"' -s f -l follow -d 'Keep waiting for new events'
complete -c usersctl -n '__usersctl_at "events deliver"' -l now -d 'Send every pending delivery now'
complete -c usersctl -n '__usersctl_at "events redeliver"' -l failed -d 'Every failed delivery'
complete -c usersctl -n $e -a consume -d 'Hand events to a command, resuming at a cursor'
complete -c usersctl -n $e -a consumers -d 'Each consumer: cursor, lag, dead letters'
complete -c usersctl -n $e -a consumer -d 'Manage one consumer'
complete -c usersctl -n '__usersctl_at "events consume"' -l exec -x -d 'Shell command that gets each batch'
complete -c usersctl -n '__usersctl_at "events consume"' -l batch -x -d 'Events per batch'
complete -c usersctl -n '__usersctl_at "events consume"' -l types -x -a "(__fish_append , $event_types)" -d 'Only these types'
complete -c usersctl -n '__usersctl_at "events consume"' -s f -l follow -d 'Keep waiting for new events'
complete -c usersctl -n '__usersctl_at "events consume"' -l max-attempts -x -d 'Failed attempts before dead letters'
complete -c usersctl -n '__usersctl_at "events consume"' -l exclude-actor -x -d 'Skip events this actor caused'
complete -c usersctl -n '__usersctl_at "events consume"' -l lease -x -d 'How long a batch is reserved'
complete -c usersctl -n '__usersctl_at "events consume"' -l retry-delay -x -d 'Wait before the second attempt'
complete -c usersctl -n '__usersctl_at "events consume"' -l timeout -x -d 'Longest run of the command'
complete -c usersctl -n '__usersctl_at "events consume"' -l dead-letters -d 'List the events set aside'
complete -c usersctl -n '__usersctl_at "events consume"' -l retry-dead -d 'Requeue the dead letters'
complete -c usersctl -n '__usersctl_needs_command "events consumer"' -a delete -d 'Forget a consumer'

# hook
set -l h '__usersctl_needs_command hook'
complete -c usersctl -n $h -a add -d 'Deliver events to a webhook URL or a command'
complete -c usersctl -n $h -a list -d 'List hooks'
complete -c usersctl -n $h -a show -d 'Show one hook'
complete -c usersctl -n $h -a remove -d 'Remove a hook and its deliveries'
complete -c usersctl -n $h -a test -d 'Send a test event to a hook'
complete -c usersctl -n $h -a disable -d 'Stop sending events to a hook'
complete -c usersctl -n $h -a enable -d 'Send events to a disabled hook again'
complete -c usersctl -n '__usersctl_at "hook add"' -l name -x -d 'A unique name for the hook'
complete -c usersctl -n '__usersctl_at "hook add"' -l exclude-actor -x -d 'Skip events this actor caused'
complete -c usersctl -n $h -a rotate-secret -d 'Sign with a new secret (and the old one for a while)'
complete -c usersctl -n '__usersctl_at "hook rotate-secret"' -l secret-file -r -F -d 'File holding the new secret'
complete -c usersctl -n '__usersctl_at "hook rotate-secret"' -l secret-format -x -a 'whsec raw' -d 'How the file holds the key'
complete -c usersctl -n '__usersctl_at "hook rotate-secret"' -l keep-old -x -d 'Also sign with the old secret this long'
complete -c usersctl -n '__usersctl_at "hook add"' -l secret-format -x -a 'whsec raw' -d 'How the secret file holds the key'
complete -c usersctl -n '__usersctl_at "hook add"' -l timeout -x -d 'Seconds each attempt may take'
complete -c usersctl -n '__usersctl_at "hook add"' -l if-not-exists -d 'Succeed without change if the name exists'
complete -c usersctl -n '__usersctl_at "hook add"' -l url -x -d 'POST events here'
complete -c usersctl -n '__usersctl_at "hook add"' -l exec -x -d 'Run /bin/sh -c CMD with the events on stdin'
complete -c usersctl -n '__usersctl_at "hook add"' -l secret-file -r -F -d 'File holding the signing secret'
complete -c usersctl -n '__usersctl_at "hook add"' -l types -x -a "(__fish_append , $event_types)" -d 'Event types to send'

# import, export, apply
complete -c usersctl -n '__usersctl_at import 0' -F
complete -c usersctl -n '__usersctl_at import' -l format -x -a 'jsonl csv passwd dump ldif' -d 'Form of the file (default: from its name)'
complete -c usersctl -n '__usersctl_at import' -l dry-run -d 'Change nothing: print the plan'
complete -c usersctl -n '__usersctl_at import' -l upsert -d 'Update users that already exist'
complete -c usersctl -n '__usersctl_at import' -s y -l yes -d 'Do not ask before changing several users'
complete -c usersctl -n '__usersctl_at import' -l shadow -r -F -d 'With --format passwd: hashes from this shadow file'
complete -c usersctl -n '__usersctl_at import' -l group-file -r -F -d 'Create these /etc/group groups and add their members'
complete -c usersctl -n '__usersctl_at export' -l format -x -a 'jsonl csv passwd group shadow dump ldif' -d 'Output: records, /etc file lines, a dump or LDIF'
complete -c usersctl -n '__usersctl_at export' -l base-dn -x -d 'With --format ldif: the directory suffix'
complete -c usersctl -n '__usersctl_at export' -l include-password-hashes -d 'With --format ldif: write userPassword hashes'
complete -c usersctl -n '__usersctl_at export' -l output -r -F -d 'Write to this file, replaced only by a complete export'
complete -c usersctl -n '__usersctl_at apply 0' -F
complete -c usersctl -n '__usersctl_at apply' -l format -x -a 'jsonl csv' -d 'Form of the file (default: from its name)'
complete -c usersctl -n '__usersctl_at apply' -l dry-run -d 'Change nothing: print the plan'
complete -c usersctl -n '__usersctl_at apply' -l prune -d 'Also delete users the file does not list'
complete -c usersctl -n '__usersctl_at apply' -l allow-empty -d 'With --prune: accept an input without users'
complete -c usersctl -n '__usersctl_at apply' -l max-deletes -x -d 'With --prune: refuse to delete more than N users'
complete -c usersctl -n '__usersctl_at apply' -s y -l yes -d 'Do not ask before changing or deleting several users'

# completion
complete -c usersctl -n '__usersctl_at completion 0' -a 'bash zsh fish'
