# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_driftctl_global_optspecs
    string join \n v/verbose h/help V/version
end

function __fish_driftctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_driftctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_driftctl_using_subcommand
    set -l cmd (__fish_driftctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c driftctl -n "__fish_driftctl_needs_command" -s v -l verbose -d 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)'
complete -c driftctl -n "__fish_driftctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c driftctl -n "__fish_driftctl_needs_command" -s V -l version -d 'Print version'
complete -c driftctl -n "__fish_driftctl_needs_command" -f -a "check" -d 'Compare a Git source with the cluster and report drift'
complete -c driftctl -n "__fish_driftctl_needs_command" -f -a "render" -d 'Print the manifests a source renders to (Helm chart, kustomization or plain YAML)'
complete -c driftctl -n "__fish_driftctl_needs_command" -f -a "snapshot" -d 'Save the live objects a source touches to a directory, for `check --live-from`'
complete -c driftctl -n "__fish_driftctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c driftctl -n "__fish_driftctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l ref -d 'Branch, tag or commit to read from a Git URL (default: the remote\'s HEAD)' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l path -d 'Subdirectory of the source to audit' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l ssh-key -d 'Private key for ssh Git URLs (the ssh agent and ~/.ssh/id_* are tried too). For https, set DRIFTCTL_GIT_TOKEN' -r -F
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -s n -l namespace -d 'Namespace for namespaced objects that declare none (default: `default`); with --all-releases, the only namespace searched' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l kubeconfig -d 'Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account)' -r -F
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l context -d 'Kubeconfig context to use instead of the current one' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l qps -d 'Client-side limit on API requests per second' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l burst -d 'Requests allowed at once above --qps' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l request-timeout -d 'How long one API request may wait for the server before the run gives up on it (as kubectl\'s flag: 30s, 1m, 500ms; a bare number is seconds; 0 waits forever)' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -s o -l output -d 'Output format of the report' -r -f -a "human\t'Summary table and colored three-way diffs, for people'
json\t'The DriftReport document (apiVersion driftctl.dev/v1) as JSON'
yaml\t'The DriftReport document as YAML'
junit\t'JUnit XML: one test case per object, for CI test reports'
sarif\t'SARIF 2.1.0: one result per finding at its file and line, for code-scanning dashboards'
markdown\t'Markdown: summary and tables, for pull-request comments'"
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l color -d 'When to color the report; `auto` colors only a terminal and honors NO_COLOR and TERM=dumb' -r -f -a "auto\t'Color when writing to a terminal, unless NO_COLOR is set or TERM=dumb'
always\t'Always color'
never\t'Never color'"
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l release -d 'Audit a Helm release straight from the cluster (no Git): live objects vs the release manifest. Repeatable' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l live-from -d 'Audit against a directory of saved live objects (`driftctl snapshot`, or `kubectl get -o yaml` output) instead of a cluster' -r -F
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l fail-on -d 'Which findings make the exit code 1' -r -f -a "drift\t'A field changed in the cluster by hand'
missing\t'An object in Git is absent from the cluster'
conflict\t'Git and the cluster both changed a field, differently'
pending\t'Git changed and was not applied yet'
extra\t'An object is owned by a unit but not in Git'"
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l history-depth -d 'How many Git versions of a chart to render, newest first, to show that a Helm release revision came from Git. A revision no searched version renders to (a hand-made `helm upgrade --set`) is drift, not a pending Git change; 0 searches none' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l ignore -d 'Ignore differences at a JSON pointer, for all objects or for a kind: `/spec/replicas`, `Deployment:/spec/replicas`. Repeatable' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l config -d 'Configuration file (default: .driftctl.yaml at the source root, if present)' -r -F
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l context-lines -d 'Lines of context around each change in the human diff' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l field-manager -d 'With --fix: write as this field manager instead of the deployment tool\'s' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l lock -d 'Lease that keeps two repairs from running at once, as NAMESPACE/NAME' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l lock-timeout -d 'Seconds to wait for another repair to release the lock' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l all-releases -d 'Audit every Helm release in the cluster (or in -n NAMESPACE)'
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l server-side -d 'Compare a server-side dry-run apply of Git with the live objects (exact, includes defaulting and webhooks)'
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l show-secrets -d 'Show Secret values instead of masking them'
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l fix -d 'Repair drift and missing objects with server-side apply, after showing the plan'
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l fix-conflicts -d 'With --fix: also repair conflicts (Git wins)'
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l fix-pending -d 'With --fix: also apply pending Git changes (normally left to the deployment tool)'
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l prune -d 'With --fix: delete extra objects (never ones annotated driftctl.dev/prune: disabled or kustomize.toolkit.fluxcd.io/prune: disabled)'
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l dry-run -d 'With --fix: show the plan (checked by a server-side dry-run) and stop'
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -s y -l yes -d 'With --fix: do not ask for confirmation (needed without a terminal)'
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -l no-events -d 'With --fix: don\'t record a DriftCorrected Event on repaired objects'
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -s v -l verbose -d 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)'
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c driftctl -n "__fish_driftctl_using_subcommand check" -s V -l version -d 'Print version'
complete -c driftctl -n "__fish_driftctl_using_subcommand render" -s f -l values -d 'Chart values file (YAML); repeat to layer several, later files win' -r -F
complete -c driftctl -n "__fish_driftctl_using_subcommand render" -l set -d 'Set chart values (a.b[0].c=x,d=y), after the values files' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand render" -l set-string -d 'Set chart values as strings, never numbers or booleans' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand render" -l set-json -d 'Set chart values from JSON (a.b={"c":1})' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand render" -l set-file -d 'Set chart values to the contents of files (key=path)' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand render" -l set-literal -d 'Set chart values to literal strings: everything after the first = is the value, commas and backslashes included' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand render" -l release-name -d 'Release name the chart is rendered for (`.Release.Name`)' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand render" -s n -l namespace -d 'Release namespace (`.Release.Namespace`)' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand render" -l kube-version -d 'Kubernetes version for .Capabilities and the chart\'s kubeVersion (default v1.32.0)' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand render" -s a -l api-versions -d 'API versions for .Capabilities.APIVersions (group/version or group/version/Kind), added to the defaults' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand render" -l include-crds -d 'Print the chart\'s CRDs (crds/ directories) first'
complete -c driftctl -n "__fish_driftctl_using_subcommand render" -l no-hooks -d 'Leave the chart\'s hooks out (by default they are printed after the manifests, as `helm template` does)'
complete -c driftctl -n "__fish_driftctl_using_subcommand render" -l skip-tests -d 'Leave the chart\'s test hooks (helm.sh/hook: test) out'
complete -c driftctl -n "__fish_driftctl_using_subcommand render" -s v -l verbose -d 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)'
complete -c driftctl -n "__fish_driftctl_using_subcommand render" -s h -l help -d 'Print help'
complete -c driftctl -n "__fish_driftctl_using_subcommand render" -s V -l version -d 'Print version'
complete -c driftctl -n "__fish_driftctl_using_subcommand snapshot" -l ref -d 'Branch, tag or commit to read from a Git URL (default: the remote\'s HEAD)' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand snapshot" -l path -d 'Subdirectory of the source to audit' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand snapshot" -l ssh-key -d 'Private key for ssh Git URLs (the ssh agent and ~/.ssh/id_* are tried too). For https, set DRIFTCTL_GIT_TOKEN' -r -F
complete -c driftctl -n "__fish_driftctl_using_subcommand snapshot" -s n -l namespace -d 'Namespace for namespaced objects that declare none (default: `default`); with --all-releases, the only namespace searched' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand snapshot" -l kubeconfig -d 'Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account)' -r -F
complete -c driftctl -n "__fish_driftctl_using_subcommand snapshot" -l context -d 'Kubeconfig context to use instead of the current one' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand snapshot" -l qps -d 'Client-side limit on API requests per second' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand snapshot" -l burst -d 'Requests allowed at once above --qps' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand snapshot" -l request-timeout -d 'How long one API request may wait for the server before the run gives up on it (as kubectl\'s flag: 30s, 1m, 500ms; a bare number is seconds; 0 waits forever)' -r
complete -c driftctl -n "__fish_driftctl_using_subcommand snapshot" -l out -d 'Directory to write the live objects to (created if needed)' -r -F
complete -c driftctl -n "__fish_driftctl_using_subcommand snapshot" -s v -l verbose -d 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)'
complete -c driftctl -n "__fish_driftctl_using_subcommand snapshot" -s h -l help -d 'Print help'
complete -c driftctl -n "__fish_driftctl_using_subcommand snapshot" -s V -l version -d 'Print version'
complete -c driftctl -n "__fish_driftctl_using_subcommand completions" -s v -l verbose -d 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)'
complete -c driftctl -n "__fish_driftctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c driftctl -n "__fish_driftctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c driftctl -n "__fish_driftctl_using_subcommand help; and not __fish_seen_subcommand_from check render snapshot completions help" -f -a "check" -d 'Compare a Git source with the cluster and report drift'
complete -c driftctl -n "__fish_driftctl_using_subcommand help; and not __fish_seen_subcommand_from check render snapshot completions help" -f -a "render" -d 'Print the manifests a source renders to (Helm chart, kustomization or plain YAML)'
complete -c driftctl -n "__fish_driftctl_using_subcommand help; and not __fish_seen_subcommand_from check render snapshot completions help" -f -a "snapshot" -d 'Save the live objects a source touches to a directory, for `check --live-from`'
complete -c driftctl -n "__fish_driftctl_using_subcommand help; and not __fish_seen_subcommand_from check render snapshot completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c driftctl -n "__fish_driftctl_using_subcommand help; and not __fish_seen_subcommand_from check render snapshot completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
