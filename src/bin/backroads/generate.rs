//! `backroads generate`: its flags and the writing of a generated rural or
//! national instance.

use crate::failure::Failure;
use backroads::generate;
use std::path::PathBuf;
use std::process::ExitCode;

/// `backroads generate` flags (the help text is on `Command::Generate`).
#[derive(clap::Args)]
pub(crate) struct GenerateArgs {
    /// Number of towns (customers), depot excluded.
    #[arg(long, value_name = "N")]
    towns: usize,
    /// Seed of the generator (the same flags give the same file).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Vehicle capacity; every demand is at most this.
    #[arg(long, value_name = "Q", default_value_t = backroads::generate::RuralSpec::DEFAULT_CAPACITY)]
    capacity: u32,
    /// Number of market towns (cluster centres; default: towns / 150, at least 1).
    #[arg(long, value_name = "M", conflicts_with_all = ["provinces", "depots"])]
    market_towns: Option<usize>,
    /// A national instance (JSON problem): the towns split into this many provinces of
    /// clustered towns, each with its own regional depots (see --depots).
    #[arg(long, value_name = "P")]
    provinces: Option<usize>,
    /// Depots of a national instance, at least one per province (default: one per province).
    #[arg(long, value_name = "D", requires = "provinces")]
    depots: Option<usize>,
    /// Write the instance to this file instead of stdout, as its extension says: `.vrp` VRPLIB (one depot
    /// only), `.json` the JSON model; other names get the instance's own format (rural VRPLIB, national JSON).
    #[arg(long, value_name = "FILE.vrp|FILE.json")]
    out: Option<PathBuf>,
}

/// `backroads generate`: out-of-range flags are usage errors (exit 2).
pub(crate) fn run(args: GenerateArgs) -> Result<ExitCode, Failure> {
    let GenerateArgs {
        towns,
        seed,
        capacity,
        market_towns,
        provinces,
        depots,
        out,
    } = args;
    if let Some(provinces) = provinces {
        let spec = generate::NationalSpec {
            towns,
            provinces,
            depots: depots.unwrap_or(provinces),
            seed,
            capacity,
        };
        spec.check().map_err(|e| Failure::Usage(e.to_string()))?;
        match &out {
            // In the format the extension names (a .vrp of several depots is refused).
            Some(path) => generate::write_national_instance_file(&spec, path).map_err(|e| e.to_string())?,
            None => match generate::write_national_instance(&spec, std::io::stdout().lock()) {
                Err(backroads::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other.map_err(|e| e.to_string())?,
            },
        }
        return Ok(ExitCode::SUCCESS);
    }
    let spec = generate::RuralSpec {
        towns,
        seed,
        capacity,
        market_towns,
    };
    // Out-of-range flags are usage errors.
    spec.check().map_err(|e| Failure::Usage(e.to_string()))?;
    match &out {
        Some(path) => generate::write_rural_instance_file(&spec, path).map_err(|e| e.to_string())?,
        None => match generate::write_rural_instance(&spec, std::io::stdout().lock()) {
            // A closed pipe (`| head`) is the reader's choice, not an error.
            Err(backroads::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other.map_err(|e| e.to_string())?,
        },
    }
    Ok(ExitCode::SUCCESS)
}
