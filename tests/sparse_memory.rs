//! Scale without a dense matrix: a 50,000-town problem (a dense distance
//! matrix would take 50,000² × 4 B = 10 GB) is solved and validated while a
//! counting allocator checks that the heap never holds more than 512 MiB.

use backroads::distance::build_oracle;
use backroads::model::{Location, ProblemBuilder, VehicleTypeSpec};
use backroads::solution::validate;
use backroads::solver::{SavingsParams, SolverConfig, solve_with_oracle};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting live and peak heap bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to `System` with the caller's layout; the
// counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const BUDGET: usize = 512 << 20;

#[test]
fn fifty_thousand_towns_without_a_dense_matrix() {
    let n = 50_000usize;
    let mut state = 0x5eed_u64;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) as f64 / u64::MAX as f64
    };
    let mut b = ProblemBuilder::new("sparse-50k").depot("depot", Location::Planar { x: 0.0, y: 0.0 });
    for i in 0..n {
        let (x, y) = ((next() * 20_000.0).floor(), (next() * 20_000.0).floor());
        b = b.town(
            format!("t{i}"),
            Location::Planar { x, y },
            1.0 + (next() * 9.0).floor(),
            0.0,
        );
    }
    let problem = b
        .vehicle_type(VehicleTypeSpec {
            id: "van".into(),
            depot: "depot".into(),
            count: None,
            capacity: 150.0,
            max_distance: None,
            max_duration_s: None,
            speed_kmh: 60.0,
        })
        .build()
        .expect("valid problem");
    let oracle = build_oracle(&problem).expect("oracle");
    let config = SolverConfig {
        threads: Some(2),
        savings_variants: vec![SavingsParams::default()],
        iterations: Some(2_000),
        seed: 1,
        ..SolverConfig::default()
    };
    let solved = solve_with_oracle(&problem, oracle.as_ref(), &config).expect("solve");
    let report = validate(&problem, oracle.as_ref(), &solved.solution);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert!(solved.solution.unassigned.is_empty());
    assert_eq!(solved.solution.totals.towns_served, n);
    let peak = PEAK.load(Ordering::Relaxed);
    eprintln!("peak heap {} MiB", peak >> 20);
    assert!(
        peak < BUDGET,
        "peak heap {} MiB is over the {} MiB budget",
        peak >> 20,
        BUDGET >> 20
    );
}
