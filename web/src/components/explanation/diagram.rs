//! The evaluation flow drawn as SVG, from [`crate::flow_diagram::layout`].

use std::rc::Rc;

use iam_engine::Decision;
use yew::prelude::*;

use super::view::decision_class;
use crate::flow_diagram::{FlowLayout, NodeState};

/// Properties of [`flow_diagram`].
#[derive(Properties, PartialEq)]
pub struct FlowDiagramProps {
    /// What to draw.
    pub layout: Rc<FlowLayout>,
    /// The decision (colours the decisive stages).
    pub decision: Decision,
    /// Called with a stage's index when its box is clicked (a shortcut for
    /// pointer users; the step list is the keyboard way in).
    #[prop_or_default]
    pub onselect: Callback<usize>,
}

/// `<svg data-testid="flow-diagram" role="img">`, with the path in words as
/// its text alternative (the step list below says the same as a list).
pub fn flow_diagram(props: &FlowDiagramProps) -> Html {
    let l = &props.layout;
    let tone = decision_class(props.decision);
    let edges = l.edges.iter().map(|e| {
        html! {
            <polyline
                class={classes!(
                    "flow__edge",
                    e.on_path.then_some("flow__edge--path"),
                    e.exit.then_some("flow__edge--exit"),
                )}
                points={e.svg_points()}
                marker-end={if e.on_path { "url(#flow-arrow-path)" } else { "url(#flow-arrow)" }}
            />
        }
    });
    let nodes = l.nodes.iter().map(|n| {
        let text_x = n.x + 14;
        let onclick = {
            let onselect = props.onselect.clone();
            let index = n.index;
            Callback::from(move |_: MouseEvent| onselect.emit(index))
        };
        html! {
            <g {onclick} class={classes!(
                "flow__node",
                format!("flow__node--{}", n.state.class()),
                n.current.then_some("flow__node--current"),
            )}>
                <rect x={n.x.to_string()} y={n.y.to_string()} width={n.w.to_string()} height={n.h.to_string()} rx="8" />
                <text class="flow__title" x={text_x.to_string()} y={(n.y + 17).to_string()}>{ n.title }</text>
                if n.state != NodeState::Hidden {
                    <text class="flow__outcome" x={text_x.to_string()} y={(n.y + 32).to_string()}>{ n.outcome }</text>
                    <text class="flow__mark" x={(n.x + n.w - 14).to_string()} y={(n.y + 26).to_string()} text-anchor="end">{ n.mark }</text>
                }
            </g>
        }
    });
    let d = &l.decision;
    let decision_tone = d.decision.map(decision_class);
    html! {
        <svg data-testid="flow-diagram" class={classes!("flow", format!("flow--{tone}"))}
            role="img" aria-label={l.description.clone()}
            viewBox={format!("0 0 {} {}", l.width, l.height)}
            preserveAspectRatio="xMidYMin meet">
            <defs>
                <marker id="flow-arrow" class="flow__arrow" viewBox="0 0 10 10" refX="9" refY="5"
                    markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" />
                </marker>
                <marker id="flow-arrow-path" class="flow__arrow flow__arrow--path" viewBox="0 0 10 10" refX="9" refY="5"
                    markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" />
                </marker>
            </defs>
            { for edges }
            { for nodes }
            <g class={classes!(
                "flow__decision",
                decision_tone.map(|t| format!("flow__decision--{t}")),
            )}>
                <rect x={d.x.to_string()} y={d.y.to_string()} width={d.w.to_string()} height={d.h.to_string()} rx="20" />
                <text class="flow__decision-label" x={(d.x + d.w / 2).to_string()} y={(d.y + d.h / 2 + 5).to_string()} text-anchor="middle">
                    { d.label }
                </text>
            </g>
        </svg>
    }
}
