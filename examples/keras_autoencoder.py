"""A convolutional autoencoder in Keras 3: strided convs down, transposed convs back up.

Keras is channels_last: shapes read (N, H, W, C).
"""
import keras
from keras import layers

inputs = keras.Input(shape=(28, 28, 1))  # (N, 28, 28, 1)
x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(inputs)  # -> (N, 14, 14, 32)
x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)  # -> (N, 7, 7, 64)
x = layers.Conv2DTranspose(64, 3, strides=2, padding="same", activation="relu")(x)  # -> (N, 14, 14, 64)
x = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu")(x)  # -> (N, 28, 28, 32)
outputs = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(x)  # -> (N, 28, 28, 1)

autoencoder = keras.Model(inputs, outputs, name="autoencoder")
