"""Transposed convolutions written as functions of tensors: TensorFlow's tf.nn and JAX's lax.

The kernel size comes from the filter tensor's shape; the input from the tensor each call is
given. Conv Lens reads both from where the file makes them.
"""
import jax
import jax.numpy as jnp
import numpy as np
import tensorflow as tf
from jax import lax

# TensorFlow: the seed's 2×2 → 4×4 example, then a strided conv back down.
x = tf.constant(np.array([[[[1], [2]], [[3], [4]]]]), tf.float32)  # (1, 2, 2, 1)
f = tf.ones([3, 3, 1, 1])  # [kH, kW, out_channels, in_channels]
up = tf.nn.conv2d_transpose(x, f, output_shape=(1, 4, 4, 1), strides=[1, 2, 2, 1], padding="SAME")
w = tf.random.normal([3, 3, 1, 8])
down = tf.nn.conv2d(tf.nn.relu(up), w, strides=2, padding="VALID")

# JAX: lax.conv_transpose on channels-last tensors, and the same upsampling written as a
# fractionally strided convolution (lhs_dilation) on channels-first ones.
key = jax.random.PRNGKey(0)
h = jnp.zeros((1, 8, 8, 64))
k = jax.random.normal(key, (4, 4, 64, 32))  # HWIO
y = lax.conv_transpose(h, k, strides=(2, 2), padding="SAME")
hc = jnp.zeros((1, 64, 8, 8))
kc = jnp.ones((32, 64, 4, 4))  # OIHW
yc = lax.conv_general_dilated(hc, kc, window_strides=(1, 1), padding=((2, 2), (2, 2)), lhs_dilation=(2, 2))
