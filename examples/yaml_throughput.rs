//! Throughput of the YAML layer on a synthetic manifest stream.
//!
//! Run with optimizations, e.g. `cargo run --release --example yaml_throughput`.
//! Prints timings only; correctness is covered by the golden tests.

use std::time::Instant;

use driftctl::yaml::{parse_documents, parse_nodes, to_yaml_helm, to_yaml_kustomize};

fn manifest(index: usize) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{index}\n  labels: {{app: web, tier: \"{index}\"}}\n  annotations:\n    description: >\n      a long folded description of deployment {index} that goes on for a while\n      and wraps onto a second line\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: registry.example.com/team/web:1.{index}.0\n        args: [\"--port=8080\", --verbose, \"yes\"]\n        env:\n        - name: MODE\n          value: production\n        - name: SCRIPT\n          value: |\n            #!/bin/sh\n            echo starting {index}\n            exec web\n        ports:\n        - containerPort: 8080\n          protocol: TCP\n        resources:\n          limits: {{cpu: 500m, memory: 256Mi}}\n"
    )
}

fn main() {
    let documents = 5_000;
    let text: String = (0..documents).map(|index| format!("---\n{}", manifest(index))).collect();
    let megabytes = text.len() as f64 / 1e6;
    println!("input: {documents} documents, {megabytes:.1} MB");

    let started = Instant::now();
    let parsed = parse_documents(&text).expect("synthetic input parses");
    let elapsed = started.elapsed().as_secs_f64();
    println!("parse_documents: {elapsed:.3} s ({:.1} MB/s)", megabytes / elapsed);

    let started = Instant::now();
    let written: usize = parsed.iter().map(|document| to_yaml_helm(&document.value).len()).sum();
    let elapsed = started.elapsed().as_secs_f64();
    println!("to_yaml_helm: {elapsed:.3} s ({:.1} MB/s of output)", written as f64 / 1e6 / elapsed);

    let started = Instant::now();
    let nodes = parse_nodes(&text).expect("synthetic input parses");
    let written: usize = nodes.iter().map(|node| to_yaml_kustomize(node).expect("converts").len()).sum();
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "parse_nodes + to_yaml_kustomize: {elapsed:.3} s ({:.1} MB/s of input, {written} bytes out)",
        megabytes / elapsed
    );
}
