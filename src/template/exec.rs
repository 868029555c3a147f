//! Executes parsed templates with Go's `text/template` semantics as Helm runs
//! them (`missingkey=zero`): pipelines, variables and scopes, field chains on
//! maps and host objects, `if`/`with`/`range`/`template`, argument type
//! checks, and Go-formatted errors that point at the failing node.
//!
//! This module must not define template functions (see `funcs`) nor parse.

use std::collections::HashMap;
use std::rc::Rc;

use super::ast::{Arg, Branch, Command, List, Node, Pipe};
use super::error::{ExecFailure, TemplateError};
use super::funcs::{self, Param};
use super::gotime::{GoTime, Zone};
use super::set::{Source, TemplateSet};
use super::value::Value;

/// Go's limit on nested `{{template}}` calls.
const MAX_TEMPLATE_DEPTH: usize = 100_000;

/// A value together with whether it sits in an `interface {}` slot (a map
/// value or slice element). A nil in such a slot is Go's typed nil
/// interface, which fails on field access, while a pipeline's nil result
/// does not.
#[derive(Clone, Debug)]
pub(crate) struct Slot {
    pub value: Value,
    pub boxed: bool,
}

impl Slot {
    fn plain(value: Value) -> Slot {
        Slot { value, boxed: false }
    }

    fn type_name(&self) -> String {
        if self.boxed { "interface {}".to_string() } else { self.value.go_type() }
    }
}

/// The node whose evaluation is under way, for error context (Go's `s.at`).
#[derive(Clone, Copy)]
enum At<'s> {
    Node(&'s Node),
    Pipe(&'s Pipe),
    Command(&'s Command),
    Arg(&'s Arg),
}

impl At<'_> {
    fn pos(&self) -> usize {
        match self {
            At::Node(node) => match node {
                Node::Text(_) => 0,
                Node::Action(pipe) => pipe.pos,
                Node::If(b) | Node::With(b) | Node::Range(b) => b.pos,
                Node::Template { pos, .. } | Node::Break { pos } | Node::Continue { pos } => *pos,
            },
            At::Pipe(pipe) => pipe.pos,
            At::Command(cmd) => cmd.pos,
            At::Arg(arg) => arg.pos(),
        }
    }

    fn text(&self) -> String {
        match self {
            At::Node(node) => node.to_string(),
            At::Pipe(pipe) => pipe.to_string(),
            At::Command(cmd) => cmd.to_string(),
            At::Arg(arg) => arg.to_string(),
        }
    }
}

/// How a list of nodes ended.
enum Flow {
    Normal,
    Break,
    Continue,
}

type Result<T> = std::result::Result<T, TemplateError>;

/// The state of one execution: output, variables, current template.
pub struct Exec<'s> {
    pub(crate) set: &'s TemplateSet,
    out: String,
    vars: Vec<(String, Value)>,
    template_name: String,
    source: Rc<Source>,
    at: Option<At<'s>>,
    depth: usize,
    /// How deep each name is nested in `include` right now (Helm's recursion guard).
    pub(crate) include_depth: HashMap<String, usize>,
    /// Set when a nondeterministic function (`now`, `rand*`, `uuidv4`…) ran.
    pub(crate) nondeterministic: bool,
    /// The random functions' generator, seeded from the set when it has a seed.
    pub(crate) rng: fastrand::Rng,
}

impl<'s> Exec<'s> {
    pub(crate) fn new(set: &'s TemplateSet, template_name: &str, source: Rc<Source>) -> Exec<'s> {
        Exec {
            set,
            out: String::new(),
            vars: Vec::new(),
            template_name: template_name.to_string(),
            source,
            at: None,
            depth: 0,
            include_depth: HashMap::new(),
            nondeterministic: false,
            rng: set.random_seed().map(fastrand::Rng::with_seed).unwrap_or_default(),
        }
    }

    /// The current time from the set's clock, as Go's `time.Now()` in the
    /// local zone; reading it makes the render nondeterministic.
    pub(crate) fn now(&mut self) -> GoTime {
        self.nondeterministic = true;
        let reading = self.set.clock().now();
        let unix = reading.unix_nanos.div_euclid(1_000_000_000) as i64;
        let nanos = reading.unix_nanos.rem_euclid(1_000_000_000) as u32;
        GoTime::new(unix, nanos, Zone::local()).with_monotonic(reading.monotonic_nanos)
    }

    /// Run `body` with `data` as dot and `$`; returns the text written.
    pub(crate) fn run(&mut self, body: &'s List, data: Value) -> Result<String> {
        self.vars = vec![("$".to_string(), data.clone())];
        self.walk(&Slot::plain(data), body)?;
        Ok(std::mem::take(&mut self.out))
    }

    fn at(&mut self, at: At<'s>) {
        self.at = Some(at);
    }

    /// An execution error at the current node, formatted as Go's `s.errorf`.
    pub(crate) fn error(&self, message: impl Into<String>) -> TemplateError {
        let message = message.into();
        let Some(at) = self.at else {
            return TemplateError::Exec(ExecFailure {
                location: None,
                template: self.template_name.clone(),
                context: String::new(),
                message,
            });
        };
        let pos = at.pos().min(self.source.text.len());
        let before = &self.source.text[..pos];
        let line = 1 + before.matches('\n').count();
        let col = match before.rfind('\n') {
            Some(i) => pos - (i + 1),
            None => pos,
        };
        let context = at.text();
        TemplateError::Exec(ExecFailure {
            location: Some(format!("{}:{}:{}", self.source.name, line, col)),
            template: self.template_name.clone(),
            context,
            message,
        })
    }

    fn walk(&mut self, dot: &Slot, list: &'s List) -> Result<Flow> {
        for node in list {
            self.at(At::Node(node));
            match node {
                Node::Text(text) => self.out.push_str(text),
                Node::Action(pipe) => {
                    let value = self.eval_pipeline(dot, pipe)?;
                    if pipe.decl.is_empty() {
                        self.print_value(&value);
                    }
                }
                Node::If(branch) | Node::With(branch) => {
                    let flow = self.walk_if_or_with(matches!(node, Node::With(_)), dot, branch)?;
                    if !matches!(flow, Flow::Normal) {
                        return Ok(flow);
                    }
                }
                Node::Range(branch) => self.walk_range(dot, branch)?,
                Node::Template { name, pipe, .. } => self.walk_template(dot, name, pipe.as_ref())?,
                Node::Break { .. } => return Ok(Flow::Break),
                Node::Continue { .. } => return Ok(Flow::Continue),
            }
        }
        Ok(Flow::Normal)
    }

    fn print_value(&mut self, value: &Value) {
        match value {
            Value::Nil => self.out.push_str("<no value>"),
            Value::String(s) => self.out.push_str(s),
            other => self.out.push_str(&super::gofmt::format_value(other)),
        }
    }

    fn walk_if_or_with(&mut self, is_with: bool, dot: &Slot, branch: &'s Branch) -> Result<Flow> {
        let mark = self.vars.len();
        let result = (|| {
            let value = self.eval_pipeline(dot, &branch.pipe)?;
            if value.is_true() {
                if is_with { self.walk(&Slot::plain(value), &branch.list) } else { self.walk(dot, &branch.list) }
            } else if let Some(else_list) = &branch.else_list {
                self.walk(dot, else_list)
            } else {
                Ok(Flow::Normal)
            }
        })();
        self.vars.truncate(mark);
        result
    }

    fn walk_range(&mut self, dot: &Slot, branch: &'s Branch) -> Result<()> {
        let mark = self.vars.len();
        let result = self.walk_range_inner(dot, branch);
        self.vars.truncate(mark);
        result
    }

    fn walk_range_inner(&mut self, dot: &Slot, branch: &'s Branch) -> Result<()> {
        let value = self.eval_pipeline(dot, &branch.pipe)?;
        let mark = self.vars.len();
        let items: Vec<(Value, Slot)> = match &value {
            Value::List(items, elem) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::Int(i as i64), Slot { value: v.clone(), boxed: elem.holds_interfaces() }))
                .collect(),
            Value::Map(map, elem) => map
                .borrow()
                .iter()
                .map(|(k, v)| (Value::str(k.as_str()), Slot { value: v.clone(), boxed: elem.holds_interfaces() }))
                .collect(),
            Value::Int(n) | Value::Int64(n) => {
                if branch.pipe.decl.len() > 1 {
                    return Err(self.error(format!(
                        "can't use {} to iterate over more than one variable",
                        super::gofmt::format_value(&value)
                    )));
                }
                (0..*n.max(&0)).map(|i| (Value::Nil, Slot::plain(Value::Int(i)))).collect()
            }
            Value::Nil => Vec::new(),
            Value::Object(object) if object.range_items().is_some() => {
                object.range_items().unwrap_or_default().into_iter().map(|(k, v)| (k, Slot::plain(v))).collect()
            }
            other => {
                return Err(self.error(format!("range can't iterate over {}", super::gofmt::format_value(other))));
            }
        };
        if items.is_empty() {
            if let Some(else_list) = &branch.else_list {
                self.walk(dot, else_list)?;
            }
            return Ok(());
        }
        for (index, elem) in items {
            let decl = &branch.pipe.decl;
            if !decl.is_empty() {
                if branch.pipe.is_assign {
                    let first = if decl.len() > 1 { index.clone() } else { elem.value.clone() };
                    self.set_var(&decl[0], first)?;
                } else {
                    self.set_top_var(1, elem.value.clone());
                }
            }
            if decl.len() > 1 {
                if branch.pipe.is_assign {
                    self.set_var(&decl[1], elem.value.clone())?;
                } else {
                    self.set_top_var(2, index);
                }
            }
            let flow = self.walk(&elem, &branch.list);
            self.vars.truncate(mark);
            match flow? {
                Flow::Break => break,
                Flow::Normal | Flow::Continue => {}
            }
        }
        Ok(())
    }

    fn set_top_var(&mut self, n: usize, value: Value) {
        let len = self.vars.len();
        if n <= len {
            self.vars[len - n].1 = value;
        }
    }

    fn set_var(&mut self, name: &str, value: Value) -> Result<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            Some(var) => {
                var.1 = value;
                Ok(())
            }
            None => Err(self.error(format!("undefined variable: {name}"))),
        }
    }

    fn walk_template(&mut self, dot: &Slot, name: &str, pipe: Option<&'s Pipe>) -> Result<()> {
        let Some(template) = self.set.template(name) else {
            return Err(self.error(format!("template {} not defined", super::gofmt::quote(name))));
        };
        if self.depth >= MAX_TEMPLATE_DEPTH || self.depth >= self.set.max_depth() {
            return Err(self.error(format!("exceeded maximum template depth ({MAX_TEMPLATE_DEPTH})")));
        }
        let data = match pipe {
            Some(pipe) => self.eval_pipeline(dot, pipe)?,
            None => Value::Nil,
        };
        self.call_template(name, &template.body, template.source.clone(), data).map(|_| ())
    }

    /// Execute a named body with fresh variables, writing to the current output.
    pub(crate) fn call_template(&mut self, name: &str, body: &'s List, source: Rc<Source>, data: Value) -> Result<()> {
        let saved_vars = std::mem::replace(&mut self.vars, vec![("$".to_string(), data.clone())]);
        let saved_name = std::mem::replace(&mut self.template_name, name.to_string());
        let saved_source = std::mem::replace(&mut self.source, source);
        let saved_at = self.at;
        self.depth += 1;
        let result = self.walk(&Slot::plain(data), body);
        self.depth -= 1;
        self.vars = saved_vars;
        self.template_name = saved_name;
        self.source = saved_source;
        if result.is_ok() {
            self.at = saved_at;
        }
        result.map(|_| ())
    }

    /// Execute a named template into a separate buffer (Helm's `include`).
    pub(crate) fn execute_to_string(&mut self, name: &str, data: Value) -> Result<String> {
        let Some(template) = self.set.template(name) else {
            return Err(TemplateError::Exec(ExecFailure {
                location: None,
                template: self.set.root_name().to_string(),
                context: String::new(),
                message: format!(
                    "no template {} associated with template {}",
                    super::gofmt::quote(name),
                    super::gofmt::quote(self.set.root_name())
                ),
            }));
        };
        if self.depth >= self.set.max_depth() {
            return Err(self.error(format!("exceeded maximum template depth ({MAX_TEMPLATE_DEPTH})")));
        }
        let saved_out = std::mem::take(&mut self.out);
        let saved_at = self.at;
        let result = self.call_template(name, &template.body, template.source.clone(), data);
        let text = std::mem::replace(&mut self.out, saved_out);
        self.at = saved_at;
        result.map(|_| text)
    }

    fn eval_pipeline(&mut self, dot: &Slot, pipe: &'s Pipe) -> Result<Value> {
        self.at(At::Pipe(pipe));
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            let result = self.eval_command(dot, cmd, value.take())?;
            value = Some(result.value);
        }
        let value = value.unwrap_or(Value::Nil);
        for var in &pipe.decl {
            if pipe.is_assign {
                self.set_var(var, value.clone())?;
            } else {
                self.vars.push((var.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn eval_command(&mut self, dot: &Slot, cmd: &'s Command, final_value: Option<Value>) -> Result<Slot> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { idents, .. } => {
                self.at(At::Arg(first));
                return self.eval_field_chain(dot, dot.clone(), idents, &cmd.args, final_value, cmd);
            }
            Arg::Chain { node, fields, .. } => {
                self.at(At::Arg(first));
                let receiver = self.eval_chain_receiver(dot, node, first)?;
                return self.eval_field_chain(dot, receiver, fields, &cmd.args, final_value, cmd);
            }
            Arg::Identifier { name, .. } => {
                return self.eval_function(dot, name, first, cmd, &cmd.args[1..], final_value).map(Slot::plain);
            }
            Arg::Pipe(pipe) => {
                self.not_a_function(&cmd.args, &final_value)?;
                return self.eval_pipeline(dot, pipe).map(Slot::plain);
            }
            Arg::Variable { idents, .. } => {
                self.at(At::Arg(first));
                let value = self.var_value(&idents[0])?;
                if idents.len() == 1 {
                    self.not_a_function(&cmd.args, &final_value)?;
                    return Ok(Slot::plain(value));
                }
                return self.eval_field_chain(dot, Slot::plain(value), &idents[1..], &cmd.args, final_value, cmd);
            }
            _ => {}
        }
        self.at(At::Arg(first));
        self.not_a_function(&cmd.args, &final_value)?;
        match first {
            Arg::Bool { value, .. } => Ok(Slot::plain(Value::Bool(*value))),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Nil { .. } => Err(self.error("nil is not a command")),
            Arg::Number { number, .. } => self.ideal_constant(number).map(Slot::plain),
            Arg::String { value, .. } => Ok(Slot::plain(Value::str(value.as_str()))),
            other => Err(self.error(format!("can't evaluate command {}", super::gofmt::quote(&other.to_string())))),
        }
    }

    fn not_a_function(&self, args: &[Arg], final_value: &Option<Value>) -> Result<()> {
        if args.len() > 1 || final_value.is_some() {
            return Err(self.error(format!("can't give argument to non-function {}", args[0])));
        }
        Ok(())
    }

    /// Go's `idealConstant`: a literal with no type to convert to is a
    /// complex128 if it is complex, a float64 if it is written as one (a
    /// `.`, an exponent, but not a hex integer like `0x1E` or a rune), else an int.
    fn ideal_constant(&self, number: &super::ast::Number) -> Result<Value> {
        let text = &number.text;
        if let Some((real, imaginary)) = number.complex {
            return Ok(Value::Complex(real, imaginary));
        }
        let hex_int = text.len() > 2
            && text.starts_with(['0'])
            && text[1..].starts_with(['x', 'X'])
            && !text.contains(['p', 'P']);
        if let Some(f) = number.float
            && !hex_int
            && !number.is_char
            && text.contains(['.', 'e', 'E', 'p', 'P'])
        {
            return Ok(Value::Float(f));
        }
        if let Some(i) = number.int {
            return Ok(Value::Int(i));
        }
        Err(self.error(format!("{text} overflows int")))
    }

    fn var_value(&self, name: &str) -> Result<Value> {
        match self.vars.iter().rev().find(|(n, _)| n == name) {
            Some((_, value)) => Ok(value.clone()),
            None => Err(self.error(format!("undefined variable: {name}"))),
        }
    }

    fn eval_chain_receiver(&mut self, dot: &Slot, node: &'s Arg, chain: &'s Arg) -> Result<Slot> {
        if let Arg::Nil { .. } = node {
            return Err(self.error(format!("indirection through explicit nil in {chain}")));
        }
        self.eval_arg(dot, Param::Any, node).map(Slot::plain)
    }

    /// Walk `.a.b.c` from `receiver`; the last name gets the arguments
    /// (`args[0]` is the field itself, as in Go).
    fn eval_field_chain(
        &mut self,
        dot: &Slot,
        receiver: Slot,
        idents: &'s [String],
        args: &'s [Arg],
        final_value: Option<Value>,
        cmd: &'s Command,
    ) -> Result<Slot> {
        let mut receiver = receiver;
        let n = idents.len();
        for ident in &idents[..n - 1] {
            receiver = self.eval_field(dot, ident, &[], None, receiver, cmd)?;
        }
        self.eval_field(dot, &idents[n - 1], args, final_value, receiver, cmd)
    }

    fn eval_field(
        &mut self,
        dot: &Slot,
        name: &str,
        args: &'s [Arg],
        final_value: Option<Value>,
        receiver: Slot,
        _cmd: &'s Command,
    ) -> Result<Slot> {
        if let Value::Nil = receiver.value {
            if receiver.boxed {
                return Err(self.error(format!("nil pointer evaluating interface {{}}.{name}")));
            }
            return Ok(Slot::plain(Value::Nil));
        }
        let has_args = args.len() > 1 || final_value.is_some();
        match &receiver.value {
            Value::Object(object) => {
                if object.has_method(name) {
                    let at = self.at;
                    let mut argv = Vec::new();
                    for arg in args.iter().skip(1) {
                        argv.push(self.eval_arg(dot, Param::Any, arg)?);
                    }
                    if let Some(v) = final_value {
                        argv.push(v);
                    }
                    self.at = at;
                    return match object.call_method(name, &argv) {
                        Some(Ok(value)) => Ok(Slot::plain(value)),
                        Some(Err(message)) => Err(self.error(format!("error calling {name}: {message}"))),
                        None => {
                            Err(self.error(format!("can't evaluate field {name} in type {}", receiver.type_name())))
                        }
                    };
                }
                match object.field(name) {
                    Some(value) => {
                        if has_args {
                            return Err(self.error(format!("{name} has arguments but cannot be invoked as function")));
                        }
                        Ok(Slot::plain(value))
                    }
                    None => Err(self.error(format!("can't evaluate field {name} in type {}", receiver.type_name()))),
                }
            }
            Value::Map(map, elem) => {
                if has_args {
                    return Err(self.error(format!("{name} is not a method but has arguments")));
                }
                let found = map.borrow().get(name).cloned();
                Ok(match (found, elem) {
                    (Some(value), e) if e.holds_interfaces() => Slot { value, boxed: true },
                    (Some(value), _) => Slot::plain(value),
                    (None, e) => Slot { value: e.zero_value(), boxed: e.holds_interfaces() },
                })
            }
            _ => Err(self.error(format!("can't evaluate field {name} in type {}", receiver.type_name()))),
        }
    }

    fn eval_function(
        &mut self,
        dot: &Slot,
        name: &str,
        ident: &'s Arg,
        cmd: &'s Command,
        args: &'s [Arg],
        final_value: Option<Value>,
    ) -> Result<Value> {
        self.at(At::Arg(ident));
        if name == "and" || name == "or" {
            return self.eval_and_or(dot, name == "or", args, final_value);
        }
        let Some(func) = funcs::lookup(name) else {
            return Err(self.error(format!("{} is not a defined function", super::gofmt::quote(name))));
        };
        let num_in = args.len() + usize::from(final_value.is_some());
        let fixed = func.params.len();
        if func.variadic.is_some() {
            if num_in < fixed {
                return Err(
                    self.error(format!("wrong number of args for {name}: want at least {fixed} got {}", args.len()))
                );
            }
        } else if num_in != fixed {
            return Err(self.error(format!("wrong number of args for {name}: want {fixed} got {num_in}")));
        }
        let mut argv = Vec::with_capacity(num_in);
        for (i, arg) in args.iter().enumerate() {
            let param = func.params.get(i).copied().or(func.variadic).unwrap_or(Param::Any);
            argv.push(self.eval_arg(dot, param, arg)?);
        }
        if let Some(value) = final_value {
            let param = func.params.get(num_in - 1).copied().or(func.variadic).unwrap_or(Param::Any);
            argv.push(self.validate(Slot::plain(value), param)?);
        }
        for arg in &mut argv {
            if let Value::Object(object) = arg
                && let Some(copy) = object.copied_into_interface()
            {
                *arg = Value::Object(copy);
            }
        }
        if name == "call" {
            // Go hands `call` the callee as written (or, piped in, reflect.Value's String).
            let callee = match args.first() {
                Some(arg) => arg.to_string(),
                None => match &argv[0] {
                    Value::String(s) => s.to_string(),
                    other => format!("<{} Value>", other.go_type()),
                },
            };
            argv.insert(0, Value::str(callee));
        }
        if func.nondeterministic {
            self.nondeterministic = true;
        }
        match (func.call)(self, argv) {
            Ok(value) => Ok(value),
            Err(funcs::CallError::Message(message)) => {
                self.at(At::Command(cmd));
                Err(self.error(format!("error calling {name}: {message}")))
            }
        }
    }

    fn eval_and_or(&mut self, dot: &Slot, is_or: bool, args: &'s [Arg], final_value: Option<Value>) -> Result<Value> {
        if args.is_empty() && final_value.is_none() {
            let name = if is_or { "or" } else { "and" };
            return Err(self.error(format!("wrong number of args for {name}: want at least 1 got 0")));
        }
        let mut value = Value::Nil;
        for arg in args {
            value = self.eval_arg(dot, Param::Any, arg)?;
            if value.is_true() == is_or {
                return Ok(value);
            }
        }
        if let Some(v) = final_value {
            value = v;
        }
        Ok(value)
    }

    /// Evaluate one argument for a parameter of Go type `param`, with Go's checks.
    pub(crate) fn eval_arg(&mut self, dot: &Slot, param: Param, arg: &'s Arg) -> Result<Value> {
        self.at(At::Arg(arg));
        let slot = match arg {
            Arg::Dot { .. } => dot.clone(),
            Arg::Nil { .. } => {
                if param.can_be_nil() {
                    return Ok(Value::Nil);
                }
                return Err(self.error(format!("cannot assign nil to {}", param.go_name())));
            }
            Arg::Field { idents, .. } => {
                self.eval_field_chain(dot, dot.clone(), idents, std::slice::from_ref(arg), None, &EMPTY_COMMAND)?
            }
            Arg::Variable { idents, .. } => {
                let value = self.var_value(&idents[0])?;
                if idents.len() == 1 {
                    Slot::plain(value)
                } else {
                    self.eval_field_chain(dot, Slot::plain(value), &idents[1..], &[], None, &EMPTY_COMMAND)?
                }
            }
            Arg::Pipe(pipe) => Slot::plain(self.eval_pipeline(dot, pipe)?),
            Arg::Identifier { name, .. } => {
                Slot::plain(self.eval_function(dot, name, arg, &EMPTY_COMMAND, &[], None)?)
            }
            Arg::Chain { node, fields, .. } => {
                let receiver = self.eval_chain_receiver(dot, node, arg)?;
                self.eval_field_chain(dot, receiver, fields, &[], None, &EMPTY_COMMAND)?
            }
            Arg::Bool { value, .. } => {
                return match param {
                    Param::Bool | Param::Any => Ok(Value::Bool(*value)),
                    _ => Err(self.literal_mismatch(param, arg)),
                };
            }
            Arg::Number { number, .. } => {
                return match param {
                    Param::Any => self.ideal_constant(number),
                    Param::Int => match number.int {
                        Some(i) => Ok(Value::Int(i)),
                        None => Err(self.error(format!("expected integer; found {arg}"))),
                    },
                    Param::Float => match number.float {
                        Some(f) => Ok(Value::Float(f)),
                        None => Err(self.error(format!("expected float; found {arg}"))),
                    },
                    _ => Err(self.literal_mismatch(param, arg)),
                };
            }
            Arg::String { value, .. } => {
                return match param {
                    Param::Str | Param::Any => Ok(Value::str(value.as_str())),
                    _ => Err(self.literal_mismatch(param, arg)),
                };
            }
        };
        self.validate(slot, param)
    }

    fn literal_mismatch(&self, param: Param, arg: &Arg) -> TemplateError {
        match param {
            Param::Bool => self.error(format!("expected bool; found {arg}")),
            Param::Int => self.error(format!("expected integer; found {arg}")),
            Param::Float => self.error(format!("expected float; found {arg}")),
            Param::Str => self.error(format!("expected string; found {arg}")),
            _ => self.error(format!("can't handle {arg} for arg of type {}", param.go_name())),
        }
    }

    /// Go's `validateType`: is the value assignable to the parameter type?
    fn validate(&self, slot: Slot, param: Param) -> Result<Value> {
        if let Value::Nil = slot.value {
            // A nil read from a map or field is an interface value holding
            // nil: only an interface parameter takes it; a map or slice
            // parameter takes only an untyped nil (`nil`, a variable).
            if param.can_be_nil() && (!slot.boxed || matches!(param, Param::Any)) {
                return Ok(Value::Nil);
            }
            if slot.boxed {
                return Err(
                    self.error(format!("wrong type for value; expected {}; got interface {{}}", param.go_name()))
                );
            }
            return Err(self.error(format!("invalid value; expected {}", param.go_name())));
        }
        if param.accepts(&slot.value) {
            return Ok(slot.value);
        }
        Err(self.error(format!("wrong type for value; expected {}; got {}", param.go_name(), slot.value.go_type())))
    }
}

static EMPTY_COMMAND: Command = Command { pos: 0, args: Vec::new() };
