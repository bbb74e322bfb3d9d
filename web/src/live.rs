//! Live evaluation: the decision follows the text as the person types.
//!
//! Evaluating a scenario takes microseconds, so the view is recomputed in
//! the same render as the keystroke (memoized on the workspace) and the
//! decision is never behind the text. Should one evaluation become slow
//! (a huge pasted policy, a slow device), later ones are debounced instead:
//! they run [`DEBOUNCE_MS`] after the last change, so typing never waits
//! for the engine; the previous view stays on screen meanwhile.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::state::EvalView;
use crate::workspace::Workspace;

/// The pause after the last change before a slow evaluation runs.
pub const DEBOUNCE_MS: u32 = 80;

/// An evaluation taking at least this long (milliseconds) switches to
/// debounced updates.
pub const SLOW_MS: f64 = 12.0;

struct Live {
    shown: Option<(Workspace, Rc<EvalView>)>,
    slow: bool,
    /// The debounced evaluation waiting to run, and its workspace.
    timer: Option<(Workspace, Timeout)>,
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Computes the view and whether that was slow.
fn timed(workspace: &Workspace) -> (Rc<EvalView>, bool) {
    let start = now();
    let view = Rc::new(EvalView::compute(workspace));
    (view, now() - start >= SLOW_MS)
}

/// The evaluation view of `workspace`, kept live as described in the
/// module documentation.
#[hook]
pub fn use_live_view(workspace: &Workspace) -> Rc<EvalView> {
    let live = use_mut_ref(|| Live {
        shown: None,
        slow: false,
        timer: None,
    });
    let rerender = use_force_update();
    let mut l = live.borrow_mut();
    if let Some((ws, view)) = &l.shown {
        if ws == workspace {
            return view.clone();
        }
    }
    let stale = l.shown.as_ref().map(|(_, v)| v.clone());
    match stale {
        Some(stale) if l.slow => {
            if l.timer.as_ref().is_some_and(|(ws, _)| ws == workspace) {
                return stale;
            }
            let target = workspace.clone();
            let live2 = live.clone();
            let timeout = Timeout::new(DEBOUNCE_MS, move || {
                let (view, slow) = timed(&target);
                let mut l = live2.borrow_mut();
                l.shown = Some((target, view));
                l.slow = slow;
                l.timer = None;
                drop(l);
                rerender.force_update();
            });
            l.timer = Some((workspace.clone(), timeout));
            stale
        }
        _ => {
            let (view, slow) = timed(workspace);
            l.shown = Some((workspace.clone(), view.clone()));
            l.slow = slow;
            l.timer = None;
            view
        }
    }
}
