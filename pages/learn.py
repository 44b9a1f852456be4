"""Learn: the update rules, the surfaces, and the ideas behind gradient descent."""

import streamlit as st

import landscapes
from optimizers.rules import LEFT_OUT
from optimizers.specs import GRADIENT_SOURCES_BY_NAME, OPTIMIZERS, OPTIMIZERS_BY_NAME
from ui import configs, inputs, lessons, sections, sharing

st.title("Learn")
st.markdown("The ideas in plain words, every optimizer's update rule and every surface's "
            "formula, with small live examples you can change.")


def learn() -> None:
    ps = sections.page_start("learn")
    c = ps.config
    ideas, rules, surfaces = st.tabs(["Ideas", "Optimizers", "Surfaces"])

    with ideas:
        st.header("The learning rate: too small, about right, too large")
        st.markdown(lessons.LEARNING_RATE)
        lr_hp = OPTIMIZERS_BY_NAME["sgd"].hyperparameter("lr")
        with sharing.control(ps, "rates"):
            rates = []
            for cell, (name, label, value) in zip(st.columns(3), (
                    ("lr_small", "small lr", c.lr_small), ("lr_good", "good lr", c.lr_good),
                    ("lr_large", "large lr", c.lr_large)), strict=True):
                with cell:
                    rates.append(inputs.hyperparameter_input(lr_hp, value, ps.key(name),
                                                              label=label))
        lessons.three_rates(rates, ps.key("rates"))

        st.header("The gradient, and what it costs to estimate")
        st.markdown(lessons.GRADIENT)
        st.latex(r"\nabla f(x, y) = \left(\frac{\partial f}{\partial x},\ "
                 r"\frac{\partial f}{\partial y}\right), \qquad "
                 r"\frac{\partial f}{\partial x} \approx \frac{f(x + h, y) - f(x - h, y)}{2h}")
        lessons.evaluation_costs()

        st.header("Batch, stochastic and mini-batch gradient descent")
        st.markdown(lessons.BATCHES)
        st.caption(GRADIENT_SOURCES_BY_NAME["noisy"].summary)
        with sharing.control(ps, "batch"):
            batch = st.select_slider(
                "batch size", options=lessons.BATCH_SIZES,
                value=c.batch_size if c.batch_size in lessons.BATCH_SIZES else 4,
                key=ps.key("batch"))
        lessons.batch_sizes(batch, ps.key("batches"))

    with rules:
        names = list(OPTIMIZERS_BY_NAME)
        with sharing.control(ps, "optimizer"):
            optimizer = st.selectbox("optimizer", names, index=names.index(c.optimizer),
                                     format_func=lambda n: OPTIMIZERS_BY_NAME[n].title,
                                     key=ps.key("optimizer"))
        lessons.optimizer_card(OPTIMIZERS_BY_NAME[optimizer])
        st.divider()
        st.subheader("All optimizers")
        for spec in OPTIMIZERS:
            with st.expander(spec.title):
                lessons.optimizer_card(spec)
        st.subheader("Left out")
        for name, why in LEFT_OUT.items():
            st.markdown(f"**{name}.** {why}")

    with surfaces:
        names = landscapes.names()
        with sharing.control(ps, "surface"):
            surface = st.selectbox("surface", names, index=names.index(c.surface),
                                   format_func=lambda n: landscapes.get(n).title,
                                   key=ps.key("surface"))
        lessons.surface_card(surface, with_map=True)
        st.divider()
        st.subheader("All surfaces")
        for name in names:
            with st.expander(landscapes.get(name).title):
                lessons.surface_card(name, with_map=False)

    ps.save(configs.LearnConfig(optimizer, surface, *rates, batch))
    with st.sidebar:
        sharing.share_panel(ps)


learn()
