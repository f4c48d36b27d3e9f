//! The words of the format: section keywords (PyVRP's per-vehicle ones
//! too), edge weight types and the nine explicit matrix layouts, the
//! header keys and the `TYPE`s of PyVRP's dialect.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sec {
    Coords,
    Display,
    Demand,
    Depot,
    Weights,
    TimeWindows,
    ServiceTimes,
    /// `BACKHAUL_SECTION` (`id pickup`, PyVRP's dialect).
    Backhaul,
    /// `PRIZE_SECTION` (`id prize`, PyVRP's dialect: optional clients).
    Prize,
    /// `RELEASE_TIME_SECTION` (`id time`, PyVRP's dialect).
    Release,
    /// Per-vehicle sections of PyVRP's dialect (`k value…`, k = 1..=VEHICLES).
    Vehicle(VehSec),
}

/// The per-vehicle sections of PyVRP's VRPLIB dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum VehSec {
    Capacity,
    FixedCost,
    UnitDistanceCost,
    Depot,
    MaxDuration,
    AllowedClients,
    ReloadDepot,
    MaxReloads,
}

impl VehSec {
    const ALL: [VehSec; 8] = [
        VehSec::Capacity,
        VehSec::FixedCost,
        VehSec::UnitDistanceCost,
        VehSec::Depot,
        VehSec::MaxDuration,
        VehSec::AllowedClients,
        VehSec::ReloadDepot,
        VehSec::MaxReloads,
    ];
    pub(super) fn name(self) -> &'static str {
        match self {
            VehSec::Capacity => "CAPACITY_SECTION",
            VehSec::FixedCost => "VEHICLES_FIXED_COST_SECTION",
            VehSec::UnitDistanceCost => "VEHICLES_UNIT_DISTANCE_COST_SECTION",
            VehSec::Depot => "VEHICLES_DEPOT_SECTION",
            VehSec::MaxDuration => "VEHICLES_MAX_DURATION_SECTION",
            VehSec::AllowedClients => "VEHICLES_ALLOWED_CLIENTS_SECTION",
            VehSec::ReloadDepot => "VEHICLES_RELOAD_DEPOT_SECTION",
            VehSec::MaxReloads => "VEHICLES_MAX_RELOADS_SECTION",
        }
    }
}

impl Sec {
    pub(super) fn from_keyword(kw: &str) -> Option<Sec> {
        Some(match kw {
            "NODE_COORD_SECTION" => Sec::Coords,
            "DISPLAY_DATA_SECTION" => Sec::Display,
            "DEMAND_SECTION" => Sec::Demand,
            "DEPOT_SECTION" => Sec::Depot,
            "EDGE_WEIGHT_SECTION" => Sec::Weights,
            "TIME_WINDOW_SECTION" => Sec::TimeWindows,
            "SERVICE_TIME_SECTION" => Sec::ServiceTimes,
            "BACKHAUL_SECTION" => Sec::Backhaul,
            "PRIZE_SECTION" => Sec::Prize,
            "RELEASE_TIME_SECTION" => Sec::Release,
            _ => return VehSec::ALL.into_iter().find(|v| v.name() == kw).map(Sec::Vehicle),
        })
    }
    pub(super) fn name(self) -> &'static str {
        match self {
            Sec::Coords => "NODE_COORD_SECTION",
            Sec::Display => "DISPLAY_DATA_SECTION",
            Sec::Demand => "DEMAND_SECTION",
            Sec::Depot => "DEPOT_SECTION",
            Sec::Weights => "EDGE_WEIGHT_SECTION",
            Sec::TimeWindows => "TIME_WINDOW_SECTION",
            Sec::ServiceTimes => "SERVICE_TIME_SECTION",
            Sec::Backhaul => "BACKHAUL_SECTION",
            Sec::Prize => "PRIZE_SECTION",
            Sec::Release => "RELEASE_TIME_SECTION",
            Sec::Vehicle(v) => v.name(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EdgeWeightType {
    Euc2d,
    Explicit,
}

/// The nine TSPLIB layouts of an explicit matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WeightFormat {
    Full,
    LowerRow,
    LowerDiagRow,
    UpperRow,
    UpperDiagRow,
    LowerCol,
    LowerDiagCol,
    UpperCol,
    UpperDiagCol,
}

impl WeightFormat {
    pub(super) fn parse(s: &str) -> Option<WeightFormat> {
        Some(match s {
            "FULL_MATRIX" => WeightFormat::Full,
            "LOWER_ROW" => WeightFormat::LowerRow,
            "LOWER_DIAG_ROW" => WeightFormat::LowerDiagRow,
            "UPPER_ROW" => WeightFormat::UpperRow,
            "UPPER_DIAG_ROW" => WeightFormat::UpperDiagRow,
            "LOWER_COL" => WeightFormat::LowerCol,
            "LOWER_DIAG_COL" => WeightFormat::LowerDiagCol,
            "UPPER_COL" => WeightFormat::UpperCol,
            "UPPER_DIAG_COL" => WeightFormat::UpperDiagCol,
            _ => return None,
        })
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            WeightFormat::Full => "FULL_MATRIX",
            WeightFormat::LowerRow => "LOWER_ROW",
            WeightFormat::LowerDiagRow => "LOWER_DIAG_ROW",
            WeightFormat::UpperRow => "UPPER_ROW",
            WeightFormat::UpperDiagRow => "UPPER_DIAG_ROW",
            WeightFormat::LowerCol => "LOWER_COL",
            WeightFormat::LowerDiagCol => "LOWER_DIAG_COL",
            WeightFormat::UpperCol => "UPPER_COL",
            WeightFormat::UpperDiagCol => "UPPER_DIAG_COL",
        }
    }

    /// Number of entries the format holds for `n` nodes.
    pub(super) fn count(self, n: usize) -> usize {
        match self {
            WeightFormat::Full => n * n,
            WeightFormat::LowerRow | WeightFormat::UpperRow | WeightFormat::LowerCol | WeightFormat::UpperCol => {
                n * n.saturating_sub(1) / 2
            }
            _ => n * (n + 1) / 2,
        }
    }

    /// Expands the entries (exactly `count(n)` of them) into a full
    /// row-major matrix; triangular formats are mirrored.
    pub(super) fn expand(self, n: usize, vals: &[f64]) -> Vec<f64> {
        if self == WeightFormat::Full {
            return vals.to_vec();
        }
        let mut m = vec![0.0; n * n];
        let mut k = 0;
        let mut put = |m: &mut [f64], i: usize, j: usize| {
            let v = vals.get(k).copied().unwrap_or(0.0);
            k += 1;
            m[i * n + j] = v;
            m[j * n + i] = v;
        };
        // (outer, inner range) visiting order; cells are (row, col).
        for a in 0..n {
            let (lo, hi) = match self {
                WeightFormat::LowerRow | WeightFormat::UpperCol => (0, a),
                WeightFormat::LowerDiagRow | WeightFormat::UpperDiagCol => (0, a + 1),
                WeightFormat::UpperRow | WeightFormat::LowerCol => (a + 1, n),
                WeightFormat::UpperDiagRow | WeightFormat::LowerDiagCol => (a, n),
                WeightFormat::Full => (0, 0),
            };
            for b in lo..hi {
                // Row formats list row `a`; column formats list column `a`.
                // For symmetric filling the two are the same cells.
                put(&mut m, a, b);
            }
        }
        m
    }
}

/// `TYPE`s of PyVRP's VRPLIB dialect read with per-vehicle data.
pub(super) const FLEET_TYPES: &[&str] = &[
    "HFVRP", "MDVRPTW", "SDVRPTW", "MDVRP", "HFVRPTW", "VRPB", "PCVRPTW", "PCVRP", "MTVRPTWR", "MTVRPTW", "MTVRP",
];

pub(super) const KNOWN_KEYS: &[&str] = &[
    "NAME",
    "TYPE",
    "COMMENT",
    "DIMENSION",
    "CAPACITY",
    "EDGE_WEIGHT_TYPE",
    "EDGE_WEIGHT_FORMAT",
    "DISTANCE",
    "SERVICE_TIME",
    "VEHICLES",
    "NODE_COORD_TYPE",
    "DISPLAY_DATA_TYPE",
    "VEHICLES_MAX_DURATION",
];
