//! Builders for the plain elements the views repeat (a class, maybe a few
//! fixed attributes, one child, no listener).
//!
//! Each `html!` element is compiled to its own construction code (about a
//! hundred bytes of WebAssembly, more with a `classes!`); these build the
//! same virtual node in one shared function, so a view written with them is
//! smaller. The DOM they produce is exactly what the `html!` form would.

use yew::virtual_dom::{AttrValue, AttributeOrProperty, Attributes, Listeners, VNode, VTag, VText};
use yew::{Html, NodeRef};

/// Fixed attributes of an element, as `html!` writes them.
pub type Attrs = &'static [(&'static str, AttributeOrProperty)];

/// `<name …attrs>child</name>`.
#[inline(never)]
pub fn el(name: &'static str, attrs: Attrs, child: Html) -> Html {
    VNode::from(VTag::__new_other(
        AttrValue::Static(name),
        NodeRef::default(),
        None,
        Attributes::Static(attrs),
        Listeners::None,
        child,
    ))
}

/// `<name class="class">child</name>`; no `class` attribute when `class` is
/// empty.
#[inline(never)]
pub fn tag(name: &'static str, class: &'static str, child: Html) -> Html {
    let attributes = if class.is_empty() {
        Attributes::Static(&[])
    } else {
        Attributes::Dynamic {
            keys: &["class"],
            values: Box::new([Some(AttributeOrProperty::Static(class))]),
        }
    };
    VNode::from(VTag::__new_other(
        AttrValue::Static(name),
        NodeRef::default(),
        None,
        attributes,
        Listeners::None,
        child,
    ))
}

/// `<span class="class">child</span>`.
pub fn span(class: &'static str, child: Html) -> Html {
    tag("span", class, child)
}

/// `<code class="class">child</code>`.
pub fn code(class: &'static str, child: Html) -> Html {
    tag("code", class, child)
}

/// `<p class="class">child</p>`.
pub fn p(class: &'static str, child: Html) -> Html {
    tag("p", class, child)
}

/// A text node of fixed text.
#[inline(never)]
pub fn text(text: &'static str) -> Html {
    VNode::from(VText::new(AttrValue::Static(text)))
}

/// A text node.
#[inline(never)]
pub fn string(text: String) -> Html {
    VNode::from(VText::new(AttrValue::from(text)))
}
