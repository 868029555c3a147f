
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'driftctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'driftctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'driftctl' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Compare a Git source with the cluster and report drift')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Print the manifests a source renders to (Helm chart, kustomization or plain YAML)')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Save the live objects a source touches to a directory, for `check --live-from`')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'driftctl;check' {
            [CompletionResult]::new('--ref', '--ref', [CompletionResultType]::ParameterName, 'Branch, tag or commit to read from a Git URL (default: the remote''s HEAD)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Subdirectory of the source to audit')
            [CompletionResult]::new('--ssh-key', '--ssh-key', [CompletionResultType]::ParameterName, 'Private key for ssh Git URLs (the ssh agent and ~/.ssh/id_* are tried too). For https, set DRIFTCTL_GIT_TOKEN')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for namespaced objects that declare none (default: `default`); with --all-releases, the only namespace searched')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for namespaced objects that declare none (default: `default`); with --all-releases, the only namespace searched')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use instead of the current one')
            [CompletionResult]::new('--qps', '--qps', [CompletionResultType]::ParameterName, 'Client-side limit on API requests per second')
            [CompletionResult]::new('--burst', '--burst', [CompletionResultType]::ParameterName, 'Requests allowed at once above --qps')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one API request may wait for the server before the run gives up on it (as kubectl''s flag: 30s, 1m, 500ms; a bare number is seconds; 0 waits forever)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the report')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the report')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the report; `auto` colors only a terminal and honors NO_COLOR and TERM=dumb')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'Audit a Helm release straight from the cluster (no Git): live objects vs the release manifest. Repeatable')
            [CompletionResult]::new('--live-from', '--live-from', [CompletionResultType]::ParameterName, 'Audit against a directory of saved live objects (`driftctl snapshot`, or `kubectl get -o yaml` output) instead of a cluster')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Which findings make the exit code 1')
            [CompletionResult]::new('--history-depth', '--history-depth', [CompletionResultType]::ParameterName, 'How many Git versions of a chart to render, newest first, to show that a Helm release revision came from Git. A revision no searched version renders to (a hand-made `helm upgrade --set`) is drift, not a pending Git change; 0 searches none')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Ignore differences at a JSON pointer, for all objects or for a kind: `/spec/replicas`, `Deployment:/spec/replicas`. Repeatable')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: .driftctl.yaml at the source root, if present)')
            [CompletionResult]::new('--context-lines', '--context-lines', [CompletionResultType]::ParameterName, 'Lines of context around each change in the human diff')
            [CompletionResult]::new('--field-manager', '--field-manager', [CompletionResultType]::ParameterName, 'With --fix: write as this field manager instead of the deployment tool''s')
            [CompletionResult]::new('--lock', '--lock', [CompletionResultType]::ParameterName, 'Lease that keeps two repairs from running at once, as NAMESPACE/NAME')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another repair to release the lock')
            [CompletionResult]::new('--all-releases', '--all-releases', [CompletionResultType]::ParameterName, 'Audit every Helm release in the cluster (or in -n NAMESPACE)')
            [CompletionResult]::new('--server-side', '--server-side', [CompletionResultType]::ParameterName, 'Compare a server-side dry-run apply of Git with the live objects (exact, includes defaulting and webhooks)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show Secret values instead of masking them')
            [CompletionResult]::new('--fix', '--fix', [CompletionResultType]::ParameterName, 'Repair drift and missing objects with server-side apply, after showing the plan')
            [CompletionResult]::new('--fix-conflicts', '--fix-conflicts', [CompletionResultType]::ParameterName, 'With --fix: also repair conflicts (Git wins)')
            [CompletionResult]::new('--fix-pending', '--fix-pending', [CompletionResultType]::ParameterName, 'With --fix: also apply pending Git changes (normally left to the deployment tool)')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'With --fix: delete extra objects (never ones annotated driftctl.dev/prune: disabled or kustomize.toolkit.fluxcd.io/prune: disabled)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --fix: show the plan (checked by a server-side dry-run) and stop')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'With --fix: do not ask for confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'With --fix: do not ask for confirmation (needed without a terminal)')
            [CompletionResult]::new('--no-events', '--no-events', [CompletionResultType]::ParameterName, 'With --fix: don''t record a DriftCorrected Event on repaired objects')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'driftctl;render' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Chart values file (YAML); repeat to layer several, later files win')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'Chart values file (YAML); repeat to layer several, later files win')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set chart values (a.b[0].c=x,d=y), after the values files')
            [CompletionResult]::new('--set-string', '--set-string', [CompletionResultType]::ParameterName, 'Set chart values as strings, never numbers or booleans')
            [CompletionResult]::new('--set-json', '--set-json', [CompletionResultType]::ParameterName, 'Set chart values from JSON (a.b={"c":1})')
            [CompletionResult]::new('--set-file', '--set-file', [CompletionResultType]::ParameterName, 'Set chart values to the contents of files (key=path)')
            [CompletionResult]::new('--set-literal', '--set-literal', [CompletionResultType]::ParameterName, 'Set chart values to literal strings: everything after the first = is the value, commas and backslashes included')
            [CompletionResult]::new('--release-name', '--release-name', [CompletionResultType]::ParameterName, 'Release name the chart is rendered for (`.Release.Name`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Release namespace (`.Release.Namespace`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Release namespace (`.Release.Namespace`)')
            [CompletionResult]::new('--kube-version', '--kube-version', [CompletionResultType]::ParameterName, 'Kubernetes version for .Capabilities and the chart''s kubeVersion (default v1.32.0)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'API versions for .Capabilities.APIVersions (group/version or group/version/Kind), added to the defaults')
            [CompletionResult]::new('--api-versions', '--api-versions', [CompletionResultType]::ParameterName, 'API versions for .Capabilities.APIVersions (group/version or group/version/Kind), added to the defaults')
            [CompletionResult]::new('--include-crds', '--include-crds', [CompletionResultType]::ParameterName, 'Print the chart''s CRDs (crds/ directories) first')
            [CompletionResult]::new('--no-hooks', '--no-hooks', [CompletionResultType]::ParameterName, 'Leave the chart''s hooks out (by default they are printed after the manifests, as `helm template` does)')
            [CompletionResult]::new('--skip-tests', '--skip-tests', [CompletionResultType]::ParameterName, 'Leave the chart''s test hooks (helm.sh/hook: test) out')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'driftctl;snapshot' {
            [CompletionResult]::new('--ref', '--ref', [CompletionResultType]::ParameterName, 'Branch, tag or commit to read from a Git URL (default: the remote''s HEAD)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Subdirectory of the source to audit')
            [CompletionResult]::new('--ssh-key', '--ssh-key', [CompletionResultType]::ParameterName, 'Private key for ssh Git URLs (the ssh agent and ~/.ssh/id_* are tried too). For https, set DRIFTCTL_GIT_TOKEN')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for namespaced objects that declare none (default: `default`); with --all-releases, the only namespace searched')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for namespaced objects that declare none (default: `default`); with --all-releases, the only namespace searched')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use instead of the current one')
            [CompletionResult]::new('--qps', '--qps', [CompletionResultType]::ParameterName, 'Client-side limit on API requests per second')
            [CompletionResult]::new('--burst', '--burst', [CompletionResultType]::ParameterName, 'Requests allowed at once above --qps')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one API request may wait for the server before the run gives up on it (as kubectl''s flag: 30s, 1m, 500ms; a bare number is seconds; 0 waits forever)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory to write the live objects to (created if needed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'driftctl;completions' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'driftctl;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Compare a Git source with the cluster and report drift')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Print the manifests a source renders to (Helm chart, kustomization or plain YAML)')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Save the live objects a source touches to a directory, for `check --live-from`')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'driftctl;help;check' {
            break
        }
        'driftctl;help;render' {
            break
        }
        'driftctl;help;snapshot' {
            break
        }
        'driftctl;help;completions' {
            break
        }
        'driftctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
