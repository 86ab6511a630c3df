fn main() -> std::process::ExitCode {
    policy_lsp::cli::run()
}
