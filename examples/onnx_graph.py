"""A small ONNX decoder built with onnx.helper: a strided conv down, a transposed conv back up
(ONNX is NCHW; each node's output feeds the next through its tensor name).
"""
import onnx
from onnx import TensorProto, helper

X = helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 16, 32, 32])
W1 = helper.make_tensor_value_info("W1", TensorProto.FLOAT, [32, 16, 3, 3])
W2 = helper.make_tensor_value_info("W2", TensorProto.FLOAT, [32, 8, 4, 4])
Y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)

nodes = [
    helper.make_node("Conv", ["X", "W1"], ["h"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["h"], ["r"]),
    helper.make_node("ConvTranspose", ["r", "W2"], ["up"], strides=[2, 2], auto_pad="SAME_UPPER"),
    helper.make_node("MaxPool", ["up"], ["Y"], kernel_shape=[2, 2], strides=[2, 2]),
]
graph = helper.make_graph(nodes, "decoder", [X, W1, W2], [Y])
model = helper.make_model(graph)
