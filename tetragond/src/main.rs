use tetragond::{config::Config, daemon, logging};

fn main() -> std::process::ExitCode {
    let config = match Config::load() {
        Ok(config) => config,
        Err(e) => {
            // --help and --version arrive as a clap error meant for stdout.
            if let Some(shown) = e.downcast_ref::<clap::Error>().filter(|c| !c.use_stderr()) {
                let _ = shown.print();
                return std::process::ExitCode::SUCCESS;
            }
            eprintln!("tetragon: {e:#}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let log = match logging::init(&config.log_level, &config.log_format, config.debug) {
        Ok(log) => log,
        Err(e) => {
            eprintln!("tetragon: {e:#}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tetragon: starting the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(daemon::run(config, log)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tetragon: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
