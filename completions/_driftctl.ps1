
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
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use instead of the current one')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output; `auto` colors only a terminal and honors NO_COLOR and TERM=dumb')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the report')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the report')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what happens (repeat for more detail) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what happens (repeat for more detail) on stderr')
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
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use instead of the current one')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output; `auto` colors only a terminal and honors NO_COLOR and TERM=dumb')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the report')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the report')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what happens (repeat for more detail) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what happens (repeat for more detail) on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'driftctl;render' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use instead of the current one')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output; `auto` colors only a terminal and honors NO_COLOR and TERM=dumb')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the report')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the report')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what happens (repeat for more detail) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what happens (repeat for more detail) on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'driftctl;snapshot' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use instead of the current one')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output; `auto` colors only a terminal and honors NO_COLOR and TERM=dumb')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the report')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the report')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what happens (repeat for more detail) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what happens (repeat for more detail) on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'driftctl;completions' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use instead of the current one')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output; `auto` colors only a terminal and honors NO_COLOR and TERM=dumb')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the report')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the report')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what happens (repeat for more detail) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what happens (repeat for more detail) on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
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
