"""A small Flax decoder (flax.linen): channels last, shapes read (N, H, W, C).

Flax's padding defaults to 'SAME', and an int kernel_size is a 1-D kernel: write tuples.
"""
import flax.linen as nn


class Decoder(nn.Module):
    @nn.compact
    def __call__(self, z):
        # z: (N, 8, 8, 64)
        x = nn.ConvTranspose(32, kernel_size=(4, 4), strides=(2, 2))(z)
        x = nn.relu(x)
        x = nn.ConvTranspose(16, kernel_size=(3, 3), strides=(2, 2), padding="VALID")(x)
        x = nn.Conv(3, kernel_size=(3, 3), padding=((1, 1), (1, 1)))(x)
        return nn.Conv(1, kernel_size=3)(x)
