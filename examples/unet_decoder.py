"""A U-Net decoder stage: learned 2x upsampling (transposed conv) versus resize-then-conv."""
import torch
import torch.nn as nn


class Up(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, bilinear: bool = False):
        super().__init__()
        if bilinear:
            # resize, then a 3x3 conv: no checkerboard artifacts
            self.up = nn.Sequential(
                nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True),
                nn.Conv2d(in_channels, in_channels // 2, kernel_size=3, padding=1),
            )
        else:
            # kernel 2, stride 2: every output pixel gets exactly one tap
            self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
        self.conv = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
        )

    def forward(self, x: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        x = self.up(x)
        return self.conv(torch.cat([skip, x], dim=1))


# a decoder from a 1024-channel bottleneck: (N, 1024, H/16, W/16) -> (N, 64, H, W)
decoder = nn.ModuleList([Up(1024, 512), Up(512, 256), Up(256, 128), Up(128, 64)])
head = nn.Conv2d(64, 2, kernel_size=1)
