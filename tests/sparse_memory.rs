//! Scale without a dense matrix: a generated 50,000-town rural problem (a dense distance
//! matrix would take 50,000² × 4 B = 10 GB) is solved and validated while a
//! counting allocator checks that the heap never holds more than 512 MiB.

use backroads::distance::build_oracle;
use backroads::generate::{RuralSpec, rural_instance};
use backroads::io::read_vrp;
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
    let text = rural_instance(&RuralSpec::new(n, 1)).expect("generated instance");
    let problem = read_vrp(&text, "rural-50k").expect("valid problem");
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
