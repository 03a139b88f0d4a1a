fn main() -> std::process::ExitCode {
    waypoint::cli::main()
}
