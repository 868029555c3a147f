
use builtin;
use str;

set edit:completion:arg-completer[driftctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'driftctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'driftctl'= {
            cand -v 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)'
            cand --verbose 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand check 'Compare a Git source with the cluster and report drift'
            cand render 'Print the manifests a source renders to (Helm chart, kustomization or plain YAML)'
            cand snapshot 'Save the live objects a source touches to a directory, for `check --live-from`'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'driftctl;check'= {
            cand --ref 'Branch, tag or commit to read from a Git URL (default: the remote''s HEAD)'
            cand --path 'Subdirectory of the source to audit'
            cand --ssh-key 'Private key for ssh Git URLs (the ssh agent and ~/.ssh/id_* are tried too). For https, set DRIFTCTL_GIT_TOKEN'
            cand -n 'Namespace for namespaced objects that declare none (default: `default`); with --all-releases, the only namespace searched'
            cand --namespace 'Namespace for namespaced objects that declare none (default: `default`); with --all-releases, the only namespace searched'
            cand --kubeconfig 'Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account)'
            cand --context 'Kubeconfig context to use instead of the current one'
            cand --qps 'Client-side limit on API requests per second'
            cand --burst 'Requests allowed at once above --qps'
            cand --request-timeout 'How long one API request may wait for the server before the run gives up on it (as kubectl''s flag: 30s, 1m, 500ms; a bare number is seconds; 0 waits forever)'
            cand -o 'Output format of the report'
            cand --output 'Output format of the report'
            cand --color 'When to color the report; `auto` colors only a terminal and honors NO_COLOR and TERM=dumb'
            cand --release 'Audit a Helm release straight from the cluster (no Git): live objects vs the release manifest. Repeatable'
            cand --live-from 'Audit against a directory of saved live objects (`driftctl snapshot`, or `kubectl get -o yaml` output) instead of a cluster'
            cand --fail-on 'Which findings make the exit code 1'
            cand --history-depth 'How many Git versions of a chart to render, newest first, to show that a Helm release revision came from Git. A revision no searched version renders to (a hand-made `helm upgrade --set`) is drift, not a pending Git change; 0 searches none'
            cand --ignore 'Ignore differences at a JSON pointer, for all objects or for a kind: `/spec/replicas`, `Deployment:/spec/replicas`. Repeatable'
            cand --config 'Configuration file (default: .driftctl.yaml at the source root, if present)'
            cand --context-lines 'Lines of context around each change in the human diff'
            cand --field-manager 'With --fix: write as this field manager instead of the deployment tool''s'
            cand --lock 'Lease that keeps two repairs from running at once, as NAMESPACE/NAME'
            cand --lock-timeout 'Seconds to wait for another repair to release the lock'
            cand --all-releases 'Audit every Helm release in the cluster (or in -n NAMESPACE)'
            cand --server-side 'Compare a server-side dry-run apply of Git with the live objects (exact, includes defaulting and webhooks)'
            cand --show-secrets 'Show Secret values instead of masking them'
            cand --fix 'Repair drift and missing objects with server-side apply, after showing the plan'
            cand --fix-conflicts 'With --fix: also repair conflicts (Git wins)'
            cand --fix-pending 'With --fix: also apply pending Git changes (normally left to the deployment tool)'
            cand --prune 'With --fix: delete extra objects (never ones annotated driftctl.dev/prune: disabled or kustomize.toolkit.fluxcd.io/prune: disabled)'
            cand --dry-run 'With --fix: show the plan (checked by a server-side dry-run) and stop'
            cand -y 'With --fix: do not ask for confirmation (needed without a terminal)'
            cand --yes 'With --fix: do not ask for confirmation (needed without a terminal)'
            cand --no-events 'With --fix: don''t record a DriftCorrected Event on repaired objects'
            cand -v 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)'
            cand --verbose 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'driftctl;render'= {
            cand -f 'Chart values file (YAML); repeat to layer several, later files win'
            cand --values 'Chart values file (YAML); repeat to layer several, later files win'
            cand --set 'Set chart values (a.b[0].c=x,d=y), after the values files'
            cand --set-string 'Set chart values as strings, never numbers or booleans'
            cand --set-json 'Set chart values from JSON (a.b={"c":1})'
            cand --set-file 'Set chart values to the contents of files (key=path)'
            cand --set-literal 'Set chart values to literal strings: everything after the first = is the value, commas and backslashes included'
            cand --release-name 'Release name the chart is rendered for (`.Release.Name`)'
            cand -n 'Release namespace (`.Release.Namespace`)'
            cand --namespace 'Release namespace (`.Release.Namespace`)'
            cand --kube-version 'Kubernetes version for .Capabilities and the chart''s kubeVersion (default v1.32.0)'
            cand -a 'API versions for .Capabilities.APIVersions (group/version or group/version/Kind), added to the defaults'
            cand --api-versions 'API versions for .Capabilities.APIVersions (group/version or group/version/Kind), added to the defaults'
            cand --include-crds 'Print the chart''s CRDs (crds/ directories) first'
            cand --no-hooks 'Leave the chart''s hooks out (by default they are printed after the manifests, as `helm template` does)'
            cand --skip-tests 'Leave the chart''s test hooks (helm.sh/hook: test) out'
            cand -v 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)'
            cand --verbose 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'driftctl;snapshot'= {
            cand --ref 'Branch, tag or commit to read from a Git URL (default: the remote''s HEAD)'
            cand --path 'Subdirectory of the source to audit'
            cand --ssh-key 'Private key for ssh Git URLs (the ssh agent and ~/.ssh/id_* are tried too). For https, set DRIFTCTL_GIT_TOKEN'
            cand -n 'Namespace for namespaced objects that declare none (default: `default`); with --all-releases, the only namespace searched'
            cand --namespace 'Namespace for namespaced objects that declare none (default: `default`); with --all-releases, the only namespace searched'
            cand --kubeconfig 'Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account)'
            cand --context 'Kubeconfig context to use instead of the current one'
            cand --qps 'Client-side limit on API requests per second'
            cand --burst 'Requests allowed at once above --qps'
            cand --request-timeout 'How long one API request may wait for the server before the run gives up on it (as kubectl''s flag: 30s, 1m, 500ms; a bare number is seconds; 0 waits forever)'
            cand --out 'Directory to write the live objects to (created if needed)'
            cand -v 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)'
            cand --verbose 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'driftctl;completions'= {
            cand -v 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)'
            cand --verbose 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'driftctl;help'= {
            cand check 'Compare a Git source with the cluster and report drift'
            cand render 'Print the manifests a source renders to (Helm chart, kustomization or plain YAML)'
            cand snapshot 'Save the live objects a source touches to a directory, for `check --live-from`'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'driftctl;help;check'= {
        }
        &'driftctl;help;render'= {
        }
        &'driftctl;help;snapshot'= {
        }
        &'driftctl;help;completions'= {
        }
        &'driftctl;help;help'= {
        }
    ]
    $completions[$command]
}
