
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
            cand --kubeconfig 'Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)'
            cand --context 'Kubeconfig context to use instead of the current one'
            cand --color 'When to color the output; `auto` colors only a terminal and honors NO_COLOR and TERM=dumb'
            cand -o 'Output format of the report'
            cand --output 'Output format of the report'
            cand -v 'Say more about what happens (repeat for more detail) on stderr'
            cand --verbose 'Say more about what happens (repeat for more detail) on stderr'
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
            cand --kubeconfig 'Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)'
            cand --context 'Kubeconfig context to use instead of the current one'
            cand --color 'When to color the output; `auto` colors only a terminal and honors NO_COLOR and TERM=dumb'
            cand -o 'Output format of the report'
            cand --output 'Output format of the report'
            cand -v 'Say more about what happens (repeat for more detail) on stderr'
            cand --verbose 'Say more about what happens (repeat for more detail) on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'driftctl;render'= {
            cand --kubeconfig 'Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)'
            cand --context 'Kubeconfig context to use instead of the current one'
            cand --color 'When to color the output; `auto` colors only a terminal and honors NO_COLOR and TERM=dumb'
            cand -o 'Output format of the report'
            cand --output 'Output format of the report'
            cand -v 'Say more about what happens (repeat for more detail) on stderr'
            cand --verbose 'Say more about what happens (repeat for more detail) on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'driftctl;snapshot'= {
            cand --kubeconfig 'Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)'
            cand --context 'Kubeconfig context to use instead of the current one'
            cand --color 'When to color the output; `auto` colors only a terminal and honors NO_COLOR and TERM=dumb'
            cand -o 'Output format of the report'
            cand --output 'Output format of the report'
            cand -v 'Say more about what happens (repeat for more detail) on stderr'
            cand --verbose 'Say more about what happens (repeat for more detail) on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'driftctl;completions'= {
            cand --kubeconfig 'Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)'
            cand --context 'Kubeconfig context to use instead of the current one'
            cand --color 'When to color the output; `auto` colors only a terminal and honors NO_COLOR and TERM=dumb'
            cand -o 'Output format of the report'
            cand --output 'Output format of the report'
            cand -v 'Say more about what happens (repeat for more detail) on stderr'
            cand --verbose 'Say more about what happens (repeat for more detail) on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
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
