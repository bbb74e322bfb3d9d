//! Writes a synthetic `get-account-authorization-details` file.
//!
//! `cargo run -p iam-engine --example gen_account -- SEED BYTES > details.json`
//! (defaults: seed 7, 30,000 bytes). The same seed and size give the same file.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, default: u64| {
        args.get(i)
            .map(|a| a.replace('_', "").parse::<u64>())
            .transpose()
            .unwrap_or_else(|e| {
                eprintln!(
                    "gen_account: `{}` is not a number: {e}",
                    args.get(i).map_or("", |s| s.as_str())
                );
                std::process::exit(2)
            })
            .unwrap_or(default)
    };
    let seed = number(0, 7);
    let bytes = usize::try_from(number(1, 30_000)).unwrap_or(usize::MAX);
    print!("{}", iam_engine::account::generate::generate(seed, bytes));
}
