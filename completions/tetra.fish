# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tetra_global_optspecs
    string join \n server-address= timeout= retries= max-recv-size= tls-ca-cert-files= tls-cert-file= tls-key-file= tls-server-name= d/debug h/help V/version
end

function __fish_tetra_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tetra_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tetra_using_subcommand
    set -l cmd (__fish_tetra_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tetra -n "__fish_tetra_needs_command" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_needs_command" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_needs_command" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_needs_command" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_needs_command" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_needs_command" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_needs_command" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_needs_command" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_needs_command" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_needs_command" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_needs_command" -s V -l version -d 'Print version'
complete -c tetra -n "__fish_tetra_needs_command" -f -a "getevents" -d 'Print events'
complete -c tetra -n "__fish_tetra_needs_command" -f -a "completion" -d 'Print the shell completion script for tetra'
complete -c tetra -n "__fish_tetra_needs_command" -f -a "probe" -d 'Report what the running kernel offers for BPF (no daemon needed)'
complete -c tetra -n "__fish_tetra_needs_command" -f -a "status" -d 'Print health status'
complete -c tetra -n "__fish_tetra_needs_command" -f -a "version" -d 'Print version from CLI and server'
complete -c tetra -n "__fish_tetra_needs_command" -f -a "loglevel" -d 'Get and dynamically change the log level'
complete -c tetra -n "__fish_tetra_needs_command" -f -a "log" -d 'Get and dynamically change the log level'
complete -c tetra -n "__fish_tetra_needs_command" -f -a "info" -d 'Retrieve information from the server'
complete -c tetra -n "__fish_tetra_needs_command" -f -a "eventlog" -d 'Manage event exporter logging parameters'
complete -c tetra -n "__fish_tetra_needs_command" -f -a "tracingpolicy" -d 'Manage tracing policies'
complete -c tetra -n "__fish_tetra_needs_command" -f -a "tp" -d 'Manage tracing policies'
complete -c tetra -n "__fish_tetra_needs_command" -f -a "sensors" -d 'Manage sensors'
complete -c tetra -n "__fish_tetra_needs_command" -f -a "stacktrace-tree" -d 'Print the call trees aggregated from stack traces'
complete -c tetra -n "__fish_tetra_needs_command" -f -a "bugtool" -d 'Produce a tar archive with debug information'
complete -c tetra -n "__fish_tetra_needs_command" -f -a "debug" -d 'Tools to debug tetragond'
complete -c tetra -n "__fish_tetra_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -s o -l output -d 'Output format' -r -f -a "json\t''
compact\t''"
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l color -d 'Colorize compact output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -s f -l include-fields -d 'Include only these fields in events (comma-separated paths, e.g. process,parent.pod)' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -s F -l exclude-fields -d 'Exclude these fields from events' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -s e -l event-types -d 'Include only events of these types (e.g. PROCESS_EXEC,PROCESS_EXIT)' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -s n -l namespace -d 'Get events by Kubernetes namespace' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l process -d 'Get events by process name regex' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l container -d 'Get events by container name regex' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l pod -d 'Get events by pod name regex' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l stack-traces -d 'Include stack traces in compact output' -r -f -a "true\t''
false\t''"
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l policy-names -d 'Get events by tracing policy names' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l namespace-regex -d 'Get events by namespace name regex' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l cel-expression -d 'Get events satisfying the CEL expression (e.g. `process_exec.process.pid > 100u`)' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l reconnect-wait -d 'Wait time before attempting to reconnect' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l jq -d 'Run a jq program over every event (after the other filters) and print its outputs one per line, as `jq -c` does' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l host -d 'Get host events'
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l timestamps -d 'Include timestamps in compact output'
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -l reconnect -d 'Keep trying to connect even if an error occurred'
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -s r -l raw-output -d 'With --jq, print strings without quotes, as `jq -r` does'
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand getevents" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand completion" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand completion" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand completion" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand completion" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand completion" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand completion" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand completion" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand completion" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand completion" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand completion" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand probe" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c tetra -n "__fish_tetra_using_subcommand probe" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand probe" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand probe" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand probe" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand probe" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand probe" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand probe" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand probe" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand probe" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand probe" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand status" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand status" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand status" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand status" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand status" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand status" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand status" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand status" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand status" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand status" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand version" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand version" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand version" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand version" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand version" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand version" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand version" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand version" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand version" -s s -l server -d 'Connect and retrieve version from the server'
complete -c tetra -n "__fish_tetra_using_subcommand version" -s b -l build -d 'Show CLI build information'
complete -c tetra -n "__fish_tetra_using_subcommand version" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand version" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and not __fish_seen_subcommand_from get set help" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and not __fish_seen_subcommand_from get set help" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and not __fish_seen_subcommand_from get set help" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and not __fish_seen_subcommand_from get set help" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and not __fish_seen_subcommand_from get set help" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and not __fish_seen_subcommand_from get set help" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and not __fish_seen_subcommand_from get set help" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and not __fish_seen_subcommand_from get set help" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and not __fish_seen_subcommand_from get set help" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and not __fish_seen_subcommand_from get set help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and not __fish_seen_subcommand_from get set help" -f -a "get" -d 'Prints the current log level'
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and not __fish_seen_subcommand_from get set help" -f -a "set" -d 'Set the log level'
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and not __fish_seen_subcommand_from get set help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from get" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from get" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from get" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from get" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from get" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from get" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from get" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from get" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from get" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from set" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from set" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from set" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from set" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from set" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from set" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from set" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from set" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from set" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from help" -f -a "get" -d 'Prints the current log level'
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set the log level'
complete -c tetra -n "__fish_tetra_using_subcommand loglevel; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand log; and not __fish_seen_subcommand_from get set help" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand log; and not __fish_seen_subcommand_from get set help" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand log; and not __fish_seen_subcommand_from get set help" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand log; and not __fish_seen_subcommand_from get set help" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand log; and not __fish_seen_subcommand_from get set help" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand log; and not __fish_seen_subcommand_from get set help" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand log; and not __fish_seen_subcommand_from get set help" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand log; and not __fish_seen_subcommand_from get set help" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand log; and not __fish_seen_subcommand_from get set help" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand log; and not __fish_seen_subcommand_from get set help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand log; and not __fish_seen_subcommand_from get set help" -f -a "get" -d 'Prints the current log level'
complete -c tetra -n "__fish_tetra_using_subcommand log; and not __fish_seen_subcommand_from get set help" -f -a "set" -d 'Set the log level'
complete -c tetra -n "__fish_tetra_using_subcommand log; and not __fish_seen_subcommand_from get set help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from get" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from get" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from get" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from get" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from get" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from get" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from get" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from get" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from get" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from set" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from set" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from set" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from set" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from set" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from set" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from set" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from set" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from set" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "get" -d 'Prints the current log level'
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set the log level'
complete -c tetra -n "__fish_tetra_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand info" -s o -l output -d 'Output format: text tables, or upstream\'s JSON object' -r -f -a "text\t''
json\t''"
complete -c tetra -n "__fish_tetra_using_subcommand info" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand info" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand info" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand info" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand info" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand info" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand info" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand info" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand info" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand info" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and not __fish_seen_subcommand_from set get help" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and not __fish_seen_subcommand_from set get help" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and not __fish_seen_subcommand_from set get help" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and not __fish_seen_subcommand_from set get help" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and not __fish_seen_subcommand_from set get help" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and not __fish_seen_subcommand_from set get help" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and not __fish_seen_subcommand_from set get help" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and not __fish_seen_subcommand_from set get help" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and not __fish_seen_subcommand_from set get help" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and not __fish_seen_subcommand_from set get help" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and not __fish_seen_subcommand_from set get help" -f -a "set" -d 'set logging parameters'
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and not __fish_seen_subcommand_from set get help" -f -a "get" -d 'get logging parameters'
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and not __fish_seen_subcommand_from set get help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from set" -l max-size -d 'log files maximum size' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from set" -l max-backups -d 'maximum rotated log files to be retained' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from set" -l rotation-interval -d 'log files rotation interval (a Go duration: 1h, 30m, 1h30m, 90s)' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from set" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from set" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from set" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from set" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from set" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from set" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from set" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from set" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from set" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from get" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from get" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from get" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from get" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from get" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from get" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from get" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from get" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from get" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from help" -f -a "set" -d 'set logging parameters'
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from help" -f -a "get" -d 'get logging parameters'
complete -c tetra -n "__fish_tetra_using_subcommand eventlog; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "add" -d 'add a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "delete" -d 'delete a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "enable" -d 'enable a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "disable" -d 'disable a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "set-mode" -d 'set the mode of a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "list" -d 'list loaded tracing policies'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "generate" -d 'generate tracing policies'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "validate" -d 'check policy files offline, as the daemon would'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from add" -s m -l mode -d 'Tracing policy mode (enforce|monitor)' -r -f -a "enforce\t''
monitor\t''"
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from add" -l domain -d 'Domain to be used (by default the gRPC domain)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from add" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from add" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from add" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from add" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from add" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from add" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from add" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from add" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from add" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from delete" -s n -l namespace -d 'Namespace of the tracing policy' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from delete" -l domain -d 'Domain to be used (by default the gRPC domain)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from delete" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from delete" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from delete" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from delete" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from delete" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from delete" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from delete" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from delete" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from delete" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from enable" -s n -l namespace -d 'Namespace of the tracing policy' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from enable" -l domain -d 'Domain to be used (by default the gRPC domain)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from enable" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from enable" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from enable" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from enable" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from enable" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from enable" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from enable" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from enable" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from enable" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from disable" -s n -l namespace -d 'Namespace of the tracing policy' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from disable" -l domain -d 'Domain to be used (by default the gRPC domain)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from disable" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from disable" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from disable" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from disable" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from disable" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from disable" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from disable" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from disable" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from disable" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from set-mode" -s n -l namespace -d 'Namespace of the tracing policy' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from set-mode" -l domain -d 'Domain to be used (by default the gRPC domain)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from set-mode" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from set-mode" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from set-mode" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from set-mode" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from set-mode" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from set-mode" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from set-mode" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from set-mode" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from set-mode" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from set-mode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from list" -l domain -d 'Domain to be used (by default the gRPC domain)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from list" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from list" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from list" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from list" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from list" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from list" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from list" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from list" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from list" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from generate" -s m -l match-binary -d 'Add binary to matchBinaries selector' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from generate" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from generate" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from generate" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from generate" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from generate" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from generate" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from generate" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from generate" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from generate" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from generate" -f -a "empty" -d 'empty'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from generate" -f -a "all-syscalls" -d 'all system calls'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from generate" -f -a "all-syscalls-list" -d 'all system calls using a list'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from generate" -f -a "ftrace-list" -d 'ftrace list'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from generate" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from validate" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from validate" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from validate" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from validate" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from validate" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from validate" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from validate" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from validate" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from validate" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from help" -f -a "add" -d 'add a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from help" -f -a "delete" -d 'delete a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from help" -f -a "enable" -d 'enable a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from help" -f -a "disable" -d 'disable a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from help" -f -a "set-mode" -d 'set the mode of a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from help" -f -a "list" -d 'list loaded tracing policies'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from help" -f -a "generate" -d 'generate tracing policies'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from help" -f -a "validate" -d 'check policy files offline, as the daemon would'
complete -c tetra -n "__fish_tetra_using_subcommand tracingpolicy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "add" -d 'add a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "delete" -d 'delete a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "enable" -d 'enable a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "disable" -d 'disable a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "set-mode" -d 'set the mode of a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "list" -d 'list loaded tracing policies'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "generate" -d 'generate tracing policies'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "validate" -d 'check policy files offline, as the daemon would'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and not __fish_seen_subcommand_from add delete enable disable set-mode list generate validate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from add" -s m -l mode -d 'Tracing policy mode (enforce|monitor)' -r -f -a "enforce\t''
monitor\t''"
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from add" -l domain -d 'Domain to be used (by default the gRPC domain)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from add" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from add" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from add" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from add" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from add" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from add" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from add" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from add" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from add" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from delete" -s n -l namespace -d 'Namespace of the tracing policy' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from delete" -l domain -d 'Domain to be used (by default the gRPC domain)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from delete" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from delete" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from delete" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from delete" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from delete" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from delete" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from delete" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from delete" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from delete" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from enable" -s n -l namespace -d 'Namespace of the tracing policy' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from enable" -l domain -d 'Domain to be used (by default the gRPC domain)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from enable" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from enable" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from enable" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from enable" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from enable" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from enable" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from enable" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from enable" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from enable" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from disable" -s n -l namespace -d 'Namespace of the tracing policy' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from disable" -l domain -d 'Domain to be used (by default the gRPC domain)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from disable" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from disable" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from disable" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from disable" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from disable" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from disable" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from disable" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from disable" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from disable" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from set-mode" -s n -l namespace -d 'Namespace of the tracing policy' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from set-mode" -l domain -d 'Domain to be used (by default the gRPC domain)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from set-mode" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from set-mode" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from set-mode" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from set-mode" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from set-mode" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from set-mode" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from set-mode" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from set-mode" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from set-mode" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from set-mode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from list" -l domain -d 'Domain to be used (by default the gRPC domain)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from list" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from list" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from list" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from list" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from list" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from list" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from list" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from list" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from list" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from generate" -s m -l match-binary -d 'Add binary to matchBinaries selector' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from generate" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from generate" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from generate" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from generate" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from generate" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from generate" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from generate" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from generate" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from generate" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from generate" -f -a "empty" -d 'empty'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from generate" -f -a "all-syscalls" -d 'all system calls'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from generate" -f -a "all-syscalls-list" -d 'all system calls using a list'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from generate" -f -a "ftrace-list" -d 'ftrace list'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from generate" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from validate" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from validate" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from validate" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from validate" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from validate" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from validate" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from validate" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from validate" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from validate" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from help" -f -a "add" -d 'add a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from help" -f -a "delete" -d 'delete a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from help" -f -a "enable" -d 'enable a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from help" -f -a "disable" -d 'disable a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from help" -f -a "set-mode" -d 'set the mode of a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from help" -f -a "list" -d 'list loaded tracing policies'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from help" -f -a "generate" -d 'generate tracing policies'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from help" -f -a "validate" -d 'check policy files offline, as the daemon would'
complete -c tetra -n "__fish_tetra_using_subcommand tp; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and not __fish_seen_subcommand_from list enable disable rm help" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and not __fish_seen_subcommand_from list enable disable rm help" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and not __fish_seen_subcommand_from list enable disable rm help" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and not __fish_seen_subcommand_from list enable disable rm help" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and not __fish_seen_subcommand_from list enable disable rm help" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and not __fish_seen_subcommand_from list enable disable rm help" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and not __fish_seen_subcommand_from list enable disable rm help" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and not __fish_seen_subcommand_from list enable disable rm help" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and not __fish_seen_subcommand_from list enable disable rm help" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and not __fish_seen_subcommand_from list enable disable rm help" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and not __fish_seen_subcommand_from list enable disable rm help" -f -a "list" -d 'List available sensors'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and not __fish_seen_subcommand_from list enable disable rm help" -f -a "enable" -d 'Enable sensor'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and not __fish_seen_subcommand_from list enable disable rm help" -f -a "disable" -d 'Disable sensor'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and not __fish_seen_subcommand_from list enable disable rm help" -f -a "rm" -d 'remove a sensor'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and not __fish_seen_subcommand_from list enable disable rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from list" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from list" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from list" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from list" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from list" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from list" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from list" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from list" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from list" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from enable" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from enable" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from enable" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from enable" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from enable" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from enable" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from enable" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from enable" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from enable" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from disable" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from disable" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from disable" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from disable" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from disable" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from disable" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from disable" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from disable" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from disable" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from rm" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from rm" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from rm" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from rm" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from rm" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from rm" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from rm" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from rm" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from rm" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from help" -f -a "list" -d 'List available sensors'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Enable sensor'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Disable sensor'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from help" -f -a "rm" -d 'remove a sensor'
complete -c tetra -n "__fish_tetra_using_subcommand sensors; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and not __fish_seen_subcommand_from print help" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and not __fish_seen_subcommand_from print help" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and not __fish_seen_subcommand_from print help" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and not __fish_seen_subcommand_from print help" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and not __fish_seen_subcommand_from print help" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and not __fish_seen_subcommand_from print help" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and not __fish_seen_subcommand_from print help" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and not __fish_seen_subcommand_from print help" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and not __fish_seen_subcommand_from print help" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and not __fish_seen_subcommand_from print help" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and not __fish_seen_subcommand_from print help" -f -a "print" -d 'Print the stack trace tree of a tracing policy, or of the events on stdin'
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and not __fish_seen_subcommand_from print help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and __fish_seen_subcommand_from print" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and __fish_seen_subcommand_from print" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and __fish_seen_subcommand_from print" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and __fish_seen_subcommand_from print" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and __fish_seen_subcommand_from print" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and __fish_seen_subcommand_from print" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and __fish_seen_subcommand_from print" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and __fish_seen_subcommand_from print" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and __fish_seen_subcommand_from print" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and __fish_seen_subcommand_from print" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and __fish_seen_subcommand_from print" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and __fish_seen_subcommand_from help" -f -a "print" -d 'Print the stack trace tree of a tracing policy, or of the events on stdin'
complete -c tetra -n "__fish_tetra_using_subcommand stacktrace-tree; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand bugtool" -s o -l out -d 'Output filename' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand bugtool" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand bugtool" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand bugtool" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand bugtool" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand bugtool" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand bugtool" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand bugtool" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand bugtool" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand bugtool" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand bugtool" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tetra -n "__fish_tetra_using_subcommand debug; and not __fish_seen_subcommand_from loglevel help" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand debug; and not __fish_seen_subcommand_from loglevel help" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand debug; and not __fish_seen_subcommand_from loglevel help" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand debug; and not __fish_seen_subcommand_from loglevel help" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand debug; and not __fish_seen_subcommand_from loglevel help" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand debug; and not __fish_seen_subcommand_from loglevel help" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand debug; and not __fish_seen_subcommand_from loglevel help" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand debug; and not __fish_seen_subcommand_from loglevel help" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand debug; and not __fish_seen_subcommand_from loglevel help" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand debug; and not __fish_seen_subcommand_from loglevel help" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand debug; and not __fish_seen_subcommand_from loglevel help" -f -a "loglevel" -d 'Same as `tetra loglevel`'
complete -c tetra -n "__fish_tetra_using_subcommand debug; and not __fish_seen_subcommand_from loglevel help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand debug; and __fish_seen_subcommand_from loglevel" -l server-address -d 'gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)' -r
complete -c tetra -n "__fish_tetra_using_subcommand debug; and __fish_seen_subcommand_from loglevel" -l timeout -d 'Connection timeout' -r
complete -c tetra -n "__fish_tetra_using_subcommand debug; and __fish_seen_subcommand_from loglevel" -l retries -d 'Connection retries, with a short doubling pause between them' -r
complete -c tetra -n "__fish_tetra_using_subcommand debug; and __fish_seen_subcommand_from loglevel" -l max-recv-size -d 'Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)' -r
complete -c tetra -n "__fish_tetra_using_subcommand debug; and __fish_seen_subcommand_from loglevel" -l tls-ca-cert-files -d 'Connect with TLS, trusting these CA certificate files (PEM, comma-separated)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand debug; and __fish_seen_subcommand_from loglevel" -l tls-cert-file -d 'Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand debug; and __fish_seen_subcommand_from loglevel" -l tls-key-file -d 'The client certificate\'s private key (PEM; needs --tls-cert-file)' -r -F
complete -c tetra -n "__fish_tetra_using_subcommand debug; and __fish_seen_subcommand_from loglevel" -l tls-server-name -d 'Connect with TLS, checking that the server\'s certificate carries this name (default: the host of the server address)' -r
complete -c tetra -n "__fish_tetra_using_subcommand debug; and __fish_seen_subcommand_from loglevel" -s d -l debug -d 'Enable debug messages'
complete -c tetra -n "__fish_tetra_using_subcommand debug; and __fish_seen_subcommand_from loglevel" -s h -l help -d 'Print help'
complete -c tetra -n "__fish_tetra_using_subcommand debug; and __fish_seen_subcommand_from loglevel" -f -a "get" -d 'Prints the current log level'
complete -c tetra -n "__fish_tetra_using_subcommand debug; and __fish_seen_subcommand_from loglevel" -f -a "set" -d 'Set the log level'
complete -c tetra -n "__fish_tetra_using_subcommand debug; and __fish_seen_subcommand_from loglevel" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand debug; and __fish_seen_subcommand_from help" -f -a "loglevel" -d 'Same as `tetra loglevel`'
complete -c tetra -n "__fish_tetra_using_subcommand debug; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand help; and not __fish_seen_subcommand_from getevents completion probe status version loglevel info eventlog tracingpolicy sensors stacktrace-tree bugtool debug help" -f -a "getevents" -d 'Print events'
complete -c tetra -n "__fish_tetra_using_subcommand help; and not __fish_seen_subcommand_from getevents completion probe status version loglevel info eventlog tracingpolicy sensors stacktrace-tree bugtool debug help" -f -a "completion" -d 'Print the shell completion script for tetra'
complete -c tetra -n "__fish_tetra_using_subcommand help; and not __fish_seen_subcommand_from getevents completion probe status version loglevel info eventlog tracingpolicy sensors stacktrace-tree bugtool debug help" -f -a "probe" -d 'Report what the running kernel offers for BPF (no daemon needed)'
complete -c tetra -n "__fish_tetra_using_subcommand help; and not __fish_seen_subcommand_from getevents completion probe status version loglevel info eventlog tracingpolicy sensors stacktrace-tree bugtool debug help" -f -a "status" -d 'Print health status'
complete -c tetra -n "__fish_tetra_using_subcommand help; and not __fish_seen_subcommand_from getevents completion probe status version loglevel info eventlog tracingpolicy sensors stacktrace-tree bugtool debug help" -f -a "version" -d 'Print version from CLI and server'
complete -c tetra -n "__fish_tetra_using_subcommand help; and not __fish_seen_subcommand_from getevents completion probe status version loglevel info eventlog tracingpolicy sensors stacktrace-tree bugtool debug help" -f -a "loglevel" -d 'Get and dynamically change the log level'
complete -c tetra -n "__fish_tetra_using_subcommand help; and not __fish_seen_subcommand_from getevents completion probe status version loglevel info eventlog tracingpolicy sensors stacktrace-tree bugtool debug help" -f -a "info" -d 'Retrieve information from the server'
complete -c tetra -n "__fish_tetra_using_subcommand help; and not __fish_seen_subcommand_from getevents completion probe status version loglevel info eventlog tracingpolicy sensors stacktrace-tree bugtool debug help" -f -a "eventlog" -d 'Manage event exporter logging parameters'
complete -c tetra -n "__fish_tetra_using_subcommand help; and not __fish_seen_subcommand_from getevents completion probe status version loglevel info eventlog tracingpolicy sensors stacktrace-tree bugtool debug help" -f -a "tracingpolicy" -d 'Manage tracing policies'
complete -c tetra -n "__fish_tetra_using_subcommand help; and not __fish_seen_subcommand_from getevents completion probe status version loglevel info eventlog tracingpolicy sensors stacktrace-tree bugtool debug help" -f -a "sensors" -d 'Manage sensors'
complete -c tetra -n "__fish_tetra_using_subcommand help; and not __fish_seen_subcommand_from getevents completion probe status version loglevel info eventlog tracingpolicy sensors stacktrace-tree bugtool debug help" -f -a "stacktrace-tree" -d 'Print the call trees aggregated from stack traces'
complete -c tetra -n "__fish_tetra_using_subcommand help; and not __fish_seen_subcommand_from getevents completion probe status version loglevel info eventlog tracingpolicy sensors stacktrace-tree bugtool debug help" -f -a "bugtool" -d 'Produce a tar archive with debug information'
complete -c tetra -n "__fish_tetra_using_subcommand help; and not __fish_seen_subcommand_from getevents completion probe status version loglevel info eventlog tracingpolicy sensors stacktrace-tree bugtool debug help" -f -a "debug" -d 'Tools to debug tetragond'
complete -c tetra -n "__fish_tetra_using_subcommand help; and not __fish_seen_subcommand_from getevents completion probe status version loglevel info eventlog tracingpolicy sensors stacktrace-tree bugtool debug help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from loglevel" -f -a "get" -d 'Prints the current log level'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from loglevel" -f -a "set" -d 'Set the log level'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from eventlog" -f -a "set" -d 'set logging parameters'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from eventlog" -f -a "get" -d 'get logging parameters'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from tracingpolicy" -f -a "add" -d 'add a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from tracingpolicy" -f -a "delete" -d 'delete a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from tracingpolicy" -f -a "enable" -d 'enable a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from tracingpolicy" -f -a "disable" -d 'disable a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from tracingpolicy" -f -a "set-mode" -d 'set the mode of a tracing policy'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from tracingpolicy" -f -a "list" -d 'list loaded tracing policies'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from tracingpolicy" -f -a "generate" -d 'generate tracing policies'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from tracingpolicy" -f -a "validate" -d 'check policy files offline, as the daemon would'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from sensors" -f -a "list" -d 'List available sensors'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from sensors" -f -a "enable" -d 'Enable sensor'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from sensors" -f -a "disable" -d 'Disable sensor'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from sensors" -f -a "rm" -d 'remove a sensor'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from stacktrace-tree" -f -a "print" -d 'Print the stack trace tree of a tracing policy, or of the events on stdin'
complete -c tetra -n "__fish_tetra_using_subcommand help; and __fish_seen_subcommand_from debug" -f -a "loglevel" -d 'Same as `tetra loglevel`'
