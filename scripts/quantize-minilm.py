"""Derive a batch-invariant int8 all-MiniLM-L6-v2 graph from the float32 ONNX export.

Run by scripts/fetch-model.sh (MINILM_VARIANT=int8) in a private venv with `onnx` and `numpy`; not
imported by the project. Usage: quantize-minilm.py FLOAT.onnx OUT.onnx

Why not the published int8 graph (langchain4j ...-q = Xenova's model_quantized.onnx): it quantizes
activations with DynamicQuantizeLinear, one scale per *tensor*, i.e. per batch, so a text's vector
depends on the texts and padding it was batched with. Here every MatMul with a constant weight becomes

    s_row  = max|x_row| / 127                  (one scale per token row: depends on that token only)
    q      = QuantizeLinear(x / s_row, 1, 128) (uint8, zero point 128, i.e. symmetric)
    y      = MatMulIntegerToFloat(q, W_q, 1, s_w, 128, 0) * s_row     (Q, K, V: one GEMM, then Split)

with W_q int8 per output channel in 7 bits (s_w = max|W[:, n]| / 63). The integer product is exact and
every scale belongs to one token row, so a token's output does not depend on other rows of the batch:
batching, padding and the content-hash cache agree. Attention score/context MatMuls (activation x
activation), LayerNorm, GELU, softmax and the embeddings stay float32.

Why 7-bit weights: without VNNI, onnxruntime's uint8 x int8 GEMM on AVX2/AVX-512 uses VPMADDUBSW,
which adds two u8*s8 products into a saturating int16. Activation codes reach 255 (zero point 128),
so 8-bit weights overflow (2 * 255 * 127 > 32767) and the same graph gave other vectors there than
on a VNNI machine (cosine ~0.996 between the two). 2 * 255 * 63 = 32130 never saturates, so every
machine computes the same exact integer products (onnxruntime's `reduce_range` does the same).
uint8 x uint8 would keep 8 bits without saturation, but measured half as fast (160 vs 330 texts/s).

Deterministic: the same input file gives the same output bytes.
"""
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

QMAX = 127.0
# Weight codes: 7 bits, so a VPMADDUBSW pair (2 * 255 * 63) fits in int16 (see the docstring).
WEIGHT_QMAX = 63.0


def main(src: str, dst: str) -> None:
    model = onnx.load(src)
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    new_nodes, new_inits = [], []
    row_quantizers: dict[str, tuple[str, str]] = {}

    def const(name: str, arr: np.ndarray) -> str:
        new_inits.append(numpy_helper.from_array(arr, name))
        return name

    eps = const("rq/eps", np.array(1e-12, np.float32))
    inv_qmax = const("rq/inv_qmax", np.array(1.0 / QMAX, np.float32))
    one = const("rq/one", np.array(1.0, np.float32))
    zp128 = const("rq/zp128", np.array(128, np.uint8))

    def quantize_rows(x: str) -> tuple[str, str]:
        """uint8 codes and per-row scale of activation x; shared by the MatMuls that read x (Q, K, V)."""
        if x in row_quantizers:
            return row_quantizers[x]
        p = f"rq/a{len(row_quantizers)}"
        new_nodes.extend(
            [
                helper.make_node("Abs", [x], [p + "/abs"]),
                helper.make_node("ReduceMax", [p + "/abs"], [p + "/amax"], axes=[-1], keepdims=1),
                helper.make_node("Max", [p + "/amax", eps], [p + "/amax_eps"]),
                helper.make_node("Mul", [p + "/amax_eps", inv_qmax], [p + "/scale"]),
                helper.make_node("Reciprocal", [p + "/scale"], [p + "/inv"]),
                helper.make_node("Mul", [x, p + "/inv"], [p + "/scaled"]),
                helper.make_node("QuantizeLinear", [p + "/scaled", one, zp128], [p + "/q"]),
            ]
        )
        row_quantizers[x] = (p + "/q", p + "/scale")
        return row_quantizers[x]

    # MatMuls reading the same activation (Q, K and V) become one integer GEMM over their concatenated
    # weights and a Split: one quantized input, one wider GEMM, one row-scale Mul instead of three.
    # Per-column scales make this bit-identical to quantizing them one by one.
    groups: dict[str, list] = {}
    for node in graph.node:
        if node.op_type == "MatMul" and node.input[1] in inits and len(inits[node.input[1]].dims) == 2:
            groups.setdefault(node.input[0], []).append(node)

    count = 0
    for node in graph.node:
        group = groups.get(node.input[0]) if node.op_type == "MatMul" else None
        if group is None or node not in group:
            new_nodes.append(node)
            continue
        if node is not group[0]:
            continue  # emitted with the first MatMul of its group
        ws = [numpy_helper.to_array(inits[n.input[1]]).astype(np.float32) for n in group]
        w = np.concatenate(ws, axis=1)
        w_scale = (np.maximum(np.abs(w).max(axis=0), 1e-12) / WEIGHT_QMAX).astype(np.float32)
        p = f"rq/w{count}"
        count += len(group)
        const(p + "/q", np.clip(np.round(w / w_scale), -WEIGHT_QMAX, WEIGHT_QMAX).astype(np.int8))
        const(p + "/scale", w_scale)
        const(p + "/zp", np.zeros(w.shape[1], np.int8))
        q, row_scale = quantize_rows(node.input[0])
        new_nodes.append(
            helper.make_node(
                "MatMulIntegerToFloat",
                [q, p + "/q", one, p + "/scale", zp128, p + "/zp"],
                [p + "/y"],
                domain="com.microsoft",
            )
        )
        if len(group) == 1:
            new_nodes.append(helper.make_node("Mul", [p + "/y", row_scale], [node.output[0]]))
        else:
            new_nodes.append(helper.make_node("Mul", [p + "/y", row_scale], [p + "/ys"]))
            new_nodes.append(
                helper.make_node("Split", [p + "/ys"], [n.output[0] for n in group], axis=-1, split=[x.shape[1] for x in ws])
            )

    if count == 0:
        sys.exit("quantize-minilm: no MatMul with a constant 2-D weight found; is this the float export?")
    used = {name for n in new_nodes for name in n.input}
    kept = [i for i in graph.initializer if i.name in used]
    del graph.node[:]
    graph.node.extend(new_nodes)
    del graph.initializer[:]
    graph.initializer.extend(kept + new_inits)
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, dst)
    print(f"quantize-minilm: {count} MatMuls to int8, {len(row_quantizers)} per-row activation quantizers", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: quantize-minilm.py FLOAT.onnx OUT.onnx")
    main(sys.argv[1], sys.argv[2])
