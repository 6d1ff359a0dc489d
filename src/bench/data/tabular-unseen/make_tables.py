"""Builds the anomaly tables in this folder from the UCI data sets scikit-learn ships with it.

No default of the autoencoder was chosen on these tables; they check that the defaults carry to data
nobody tuned on. One class (or classes) is normal, and a few rows of another class, drawn with a fixed
seed, are the anomalies: the usual construction of ADBench's and ODDS's classification-derived sets.
Run: python3 make_tables.py (needs numpy and scikit-learn, for its bundled copies of the UCI files).
"""
import os

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, load_wine

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, x_normal, x_anomalous, n_anomalies, rng):
    picked = x_anomalous[np.sort(rng.choice(len(x_anomalous), n_anomalies, replace=False))]
    x = np.vstack([x_normal, picked])
    label = np.r_[np.zeros(len(x_normal), int), np.ones(n_anomalies, int)]
    header = ",".join([f"f{i}" for i in range(x.shape[1])] + ["label"])
    integral = np.all(x == np.round(x))
    rows = [",".join([(str(int(v)) if integral else repr(float(v))) for v in r] + [str(l)])
            for r, l in zip(x, label)]
    with open(os.path.join(HERE, name + ".csv"), "w") as f:
        f.write(header + "\n" + "\n".join(rows) + "\n")
    print(f"{name}: {len(x)} rows, {x.shape[1]} features, {n_anomalies} anomalies")


rng = np.random.default_rng(0)
d = load_breast_cancer()  # target 0 malignant, 1 benign
write("wdbc", d.data[d.target == 1], d.data[d.target == 0], 10, rng)
d = load_wine()  # cultivars 0, 1, 2
write("wine", d.data[d.target != 0], d.data[d.target == 0], 10, rng)
d = load_digits()  # 8x8 images, pixel counts 0-16
write("optdigits0", d.data[d.target != 0], d.data[d.target == 0], 45, rng)
write("optdigits8", d.data[d.target != 8], d.data[d.target == 8], 45, rng)
