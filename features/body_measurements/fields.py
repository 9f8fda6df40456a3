"""The body-measurement fields, their realistic metric bounds and how imperial input converts."""

# field -> (kind, min, max) in metric units (cm, kg). Bounds are wide enough for every adult body
# and most teenagers, tight enough to catch typos such as 1750 for 175 or inches sent as cm.
MEASUREMENT_FIELDS = {
    "height": ("length", 100, 250),
    "weight": ("mass", 25, 350),
    "shoulder_circumference": ("length", 60, 200),
    "arm_length": ("length", 30, 100),
    "breast_circumference": ("length", 50, 200),
    "under_breast_circumference": ("length", 45, 180),
    "waist_circumference": ("length", 40, 250),
    "hip_circumference": ("length", 50, 250),
    "upper_thigh_circumference": ("length", 25, 120),
    "neck_circumference": ("length", 20, 70),
    "biceps_circumference": ("length", 15, 70),
    "upper_hip_circumference": ("length", 50, 250),
    "wide_hip_circumference": ("length", 50, 250),
    "calf_circumference": ("length", 20, 80),
    "waist_to_crotch_front_length": ("length", 15, 60),
    "waist_to_crotch_back_length": ("length", 15, 70),
    "inner_leg_length": ("length", 40, 120),
    "foot_length": ("length", 15, 35),
    "foot_width": ("length", 5, 15),
    # legacy fields, kept for older clients
    "chest": ("length", 50, 200),
    "waist": ("length", 40, 250),
    "hips": ("length", 50, 250),
    "inseam": ("length", 40, 120),
    "shoulder_width": ("length", 25, 70),
}

UNITS = ("metric", "imperial")
CM_PER_INCH = 2.54
KG_PER_POUND = 0.45359237


def to_metric(kind: str, value: float, unit: str) -> float:
    """Imperial lengths are inches and masses pounds; metric passes through."""
    if unit != "imperial":
        return value
    return value * (CM_PER_INCH if kind == "length" else KG_PER_POUND)
