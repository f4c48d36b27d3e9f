//! Towns: amounts, service, prize and priority, release, opening windows,
//! visit patterns of multi-day plans, and the vehicle types they allow.

use super::checks::{check_location, to_count, to_window};
use crate::error::{Error, Result};
use crate::model::timing::normalise_windows;
use crate::model::{Amount, Town, TownSpec, VehicleType};
use std::collections::HashMap;

/// Largest prize a town may have (keeps prize sums exact in `f64` and the
/// search's integer objective in range).
pub const MAX_PRIZE: f64 = 1e12;

/// Most visit patterns one town may have (`drops` among `days` expands to
/// all combinations).
pub const MAX_PATTERNS: usize = 4096;

/// The allowed visit patterns of a town as day bit masks, or why not.
fn town_patterns(t: &TownSpec, horizon: Option<u32>) -> Result<Vec<u64>> {
    let owner = format!("town '{}'", t.id);
    let err = |what: String| Err(Error::InvalidProblem(format!("{owner}: {what}")));
    let Some(h) = horizon else {
        if t.drops.is_some() || t.days.is_some() || t.patterns.is_some() {
            return err("drops, days and patterns need the problem's horizon_days".into());
        }
        return Ok(Vec::new());
    };
    let mask = |days: &[u32]| -> Result<u64> {
        let mut m = 0u64;
        for &d in days {
            if d == 0 || d > h {
                return Err(Error::InvalidProblem(format!(
                    "{owner}: day {d} is outside the horizon 1..={h}"
                )));
            }
            m |= 1 << (d - 1);
        }
        Ok(m)
    };
    if let Some(patterns) = &t.patterns {
        if t.drops.is_some() || t.days.is_some() {
            return err("give either patterns or drops/days, not both".into());
        }
        if patterns.is_empty() {
            return err("patterns is empty: no way to serve the town".into());
        }
        if patterns.len() > MAX_PATTERNS {
            return err(format!("more than {MAX_PATTERNS} patterns"));
        }
        let mut out = Vec::with_capacity(patterns.len());
        for p in patterns {
            let m = mask(p)?;
            if m == 0 {
                return err("a pattern with no allowed day".into());
            }
            out.push(m);
        }
        out.sort_unstable();
        out.dedup();
        return Ok(out);
    }
    let allowed = match &t.days {
        Some(days) if days.is_empty() => return err("days is empty: no allowed day".into()),
        Some(days) => mask(days)?,
        None => {
            if h == 64 {
                u64::MAX
            } else {
                (1u64 << h) - 1
            }
        }
    };
    let drops = t.drops.unwrap_or(1);
    let n = allowed.count_ones();
    if drops == 0 {
        return err("drops must be at least 1".into());
    }
    if drops > n {
        return err(format!("{drops} drops but only {n} allowed days"));
    }
    // Every `drops`-subset of the allowed days, smallest masks first.
    let days: Vec<u32> = (0..64).filter(|d| allowed >> d & 1 == 1).collect();
    let mut out = Vec::new();
    let mut pick: Vec<usize> = (0..drops as usize).collect();
    loop {
        out.push(pick.iter().fold(0u64, |m, &i| m | 1 << days[i]));
        if out.len() > MAX_PATTERNS {
            return err(format!(
                "{drops} drops among {n} days give more than {MAX_PATTERNS} patterns"
            ));
        }
        // Next combination in lexicographic order.
        let k = pick.len();
        let Some(i) = (0..k).rev().find(|&i| pick[i] < days.len() - k + i) else {
            break;
        };
        pick[i] += 1;
        for j in i + 1..k {
            pick[j] = pick[j - 1] + 1;
        }
    }
    Ok(out)
}

/// The checked towns, in input order, and the vehicle type ids each names
/// (checked by [`allow_vehicle_types`] once the fleet is known).
#[allow(clippy::type_complexity)]
pub(super) fn build_towns(
    specs: Vec<TownSpec>,
    dims: usize,
    horizon_days: Option<u32>,
) -> Result<(Vec<Town>, Vec<Option<Vec<String>>>)> {
    let amounts = |owner: &str, field: &'static str, a: &Amount| -> Result<(u32, Vec<u32>)> {
        let v = a.per_dimension(owner, field, dims)?;
        let mut counts = Vec::with_capacity(dims);
        for x in v {
            counts.push(to_count(owner, field, x, false, u32::MAX as i64)? as u32);
        }
        Ok((counts[0], counts.split_off(1)))
    };
    let mut towns = Vec::with_capacity(specs.len());
    let mut town_types = Vec::with_capacity(specs.len());
    for t in specs {
        let owner = format!("town '{}'", t.id);
        check_location(&owner, &t.location)?;
        let (demand, extra_demand) = amounts(&owner, "demand", &t.demand)?;
        let service_time = to_count(&owner, "service_time_s", t.service_time_s, false, u32::MAX as i64)? as u32;
        let (pickup, extra_pickup) = amounts(&owner, "pickup", &t.pickup)?;
        let release = match &t.release {
            None => 0,
            Some(r) => r
                .seconds()
                .map_err(|why| Error::InvalidProblem(format!("release of {owner}: {why}")))?,
        };
        let prize = match t.prize {
            None => None,
            Some(p) if p.is_finite() && (0.0..=MAX_PRIZE).contains(&p) => Some(p),
            Some(p) => {
                return Err(Error::InvalidValue {
                    owner,
                    field: "prize",
                    value: p.to_string(),
                    reason: "must be a finite number within 0..=1e12",
                });
            }
        };
        let priority = match t.priority {
            Some(_) if prize.is_some() => {
                return Err(Error::InvalidProblem(format!(
                    "{owner}: priority and prize together (an optional town's prize is its own penalty; \
                     a priority ranks required towns)"
                )));
            }
            Some(p) if p > crate::model::MAX_PRIORITY => {
                return Err(Error::InvalidValue {
                    owner,
                    field: "priority",
                    value: p.to_string(),
                    reason: "must be an integer within 0..=100",
                });
            }
            p => p.unwrap_or(0),
        };
        let windows = t
            .windows
            .iter()
            .map(|w| to_window(&owner, "window", w))
            .collect::<Result<Vec<_>>>()?;
        let windows = normalise_windows(windows).map_err(|e| Error::InvalidProblem(format!("{owner}: {e}")))?;
        let patterns = town_patterns(&t, horizon_days)?;
        towns.push(Town {
            id: t.id,
            name: t.name,
            location: t.location,
            demand,
            pickup,
            extra_demand,
            extra_pickup,
            prize,
            priority,
            release,
            service_time,
            windows,
            patterns,
            allowed_types: Vec::new(),
        });
        town_types.push(t.vehicle_types);
    }
    Ok((towns, town_types))
}

/// The vehicle types each town allows (`vehicle_types`), as indices into
/// `fleet`; every type allowed is kept as no restriction.
pub(super) fn allow_vehicle_types(
    towns: &mut [Town],
    town_types: Vec<Option<Vec<String>>>,
    fleet: &[VehicleType],
) -> Result<()> {
    let type_ix: HashMap<&str, usize> = fleet.iter().enumerate().map(|(i, v)| (v.id.as_str(), i)).collect();
    for (town, ids) in towns.iter_mut().zip(town_types) {
        let Some(ids) = ids else { continue };
        let owner = format!("town '{}'", town.id);
        if ids.is_empty() {
            return Err(Error::InvalidValue {
                owner,
                field: "vehicle_types",
                value: "[]".into(),
                reason: "lists no vehicle type: no vehicle could serve the town (omit it to allow every type)",
            });
        }
        let mut allowed = Vec::with_capacity(ids.len());
        for id in ids {
            let v = type_ix.get(id.as_str()).copied().ok_or_else(|| Error::UnknownId {
                kind: "vehicle type",
                id: id.clone(),
                referenced_by: owner.clone(),
            })?;
            allowed.push(v);
        }
        allowed.sort_unstable();
        allowed.dedup();
        // Every type allowed is the same as no restriction.
        if allowed.len() < fleet.len() {
            town.allowed_types = allowed;
        }
    }
    Ok(())
}
