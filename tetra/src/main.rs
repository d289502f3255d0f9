use std::{path::Path, process::ExitCode};

use clap::Parser;
use tetra::{
    cli::{Cli, Command, DebugArgs, DebugCommand, ProbeOutput},
    client,
    commands::{
        bugtool, eventlog, info, loglevel, sensors, stacktrace_tree, status, tracingpolicy, version,
    },
    getevents,
};

/// tetra allocates and frees many small strings and maps per event (JSON
/// decoding, jq values); mimalloc makes piped throughput markedly higher
/// than glibc's allocator does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tetra: starting the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    client::configure(cli.connect_options());
    let result = runtime.block_on(async {
        let address =
            client::resolve_address(cli.server_address.as_deref(), Path::new(client::INFO_FILE));
        let timeout = cli.timeout;
        match &cli.command {
            Command::Getevents(args) => getevents::run(&address, timeout, args).await,
            Command::Completion { shell } => {
                let mut cmd = <Cli as clap::CommandFactory>::command();
                let mut out = Vec::new();
                clap_complete::generate(*shell, &mut cmd, "tetra", &mut out);
                Ok(tetra::output::write_stdout(&String::from_utf8_lossy(&out))?)
            }
            Command::Probe { output } => tetra::probe::run(*output == ProbeOutput::Json),
            Command::Status => status::run(&address, timeout).await,
            Command::Version(args) => version::run(&address, timeout, args).await,
            Command::Loglevel(args)
            | Command::Debug(DebugArgs {
                command: DebugCommand::Loglevel(args),
            }) => loglevel::run(&address, timeout, &args.command).await,
            Command::Info(args) => info::run(&address, timeout, args).await,
            Command::Eventlog(args) => eventlog::run(&address, timeout, &args.command).await,
            Command::Bugtool(args) => bugtool::run(&address, timeout, args).await,
            Command::Tracingpolicy(args) => {
                tracingpolicy::run(&address, timeout, &args.command).await
            }
            Command::Sensors(args) => sensors::run(&address, timeout, &args.command).await,
            Command::StacktraceTree(args) => {
                stacktrace_tree::run(&address, timeout, &args.command).await
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `tetra getevents | head`: the reader left, nothing went wrong.
        Err(e) if getevents::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tetra: {e:#}");
            ExitCode::FAILURE
        }
    }
}
