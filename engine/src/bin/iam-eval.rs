//! `iam-eval`: evaluates a scenario file from the command line.

fn main() {
    println!("iam-eval {}", iam_engine::VERSION);
}
