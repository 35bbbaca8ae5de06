COMMENT
Izhi2003b: Izhikevich's 2003 "simple model" driving the membrane potential v of the section it
sits in. Written for NetLoom (MIT licence) from the equations published in

  E. M. Izhikevich (2003) Simple model of spiking neurons.
  IEEE Transactions on Neural Networks 14(6):1569-1572.

    dv/dt = 0.04 v^2 + 5 v + 140 - u + I        (v in mV, t in ms)
    du/dt = a (b v - u)
    when v reaches 30 mV:  v <- c,  u <- u + d

The quadratic is delivered to the section as the current

    i = -0.001 (0.04 v^2 + f v + g - u + Iin)   (nA; f = 5, g = 140 by default)

so a section whose membrane capacitance adds up to 1 pF (cm = 1 uF/cm2 over 100 um2) follows the
equations above with Iin in the paper's units (pA). The threshold of the reset is `thresh`.

Names, defaults and initial state follow the models NetPyNE users write for a mechanism of this
name: a, b, c, d, f, g, Iin, thresh, fflag (unused, kept so models that set it still load), cellid
(a free label); u starts at 0 and v at the section's initial potential
(finitialize's v_init, -65 mV in NetPyNE). V mirrors v so `vref: 'V'` can also name it.
ENDCOMMENT

NEURON {
    POINT_PROCESS Izhi2003b
    NONSPECIFIC_CURRENT i
    RANGE a, b, c, d, f, g, Iin, thresh, fflag, cellid
    RANGE V
}

UNITS {
    (mV) = (millivolt)
    (nA) = (nanoamp)
}

PARAMETER {
    a = 0.02 (/ms)      : time scale of the recovery variable
    b = 0.2 (/ms)       : sensitivity of the recovery to v
    c = -65 (mV)        : v after a spike
    d = 2 (mV/ms)       : jump of u after a spike
    f = 5 (/ms)         : linear coefficient of the quadratic
    g = 140 (mV/ms)     : constant term of the quadratic
    Iin = 10 (mV/ms)    : injected drive, in the paper's units
    thresh = 30 (mV)    : spike peak that triggers the reset
    fflag = 1
    cellid = -1
}

ASSIGNED {
    v (mV)
    i (nA)
    V (mV)
}

STATE {
    u (mV/ms)
}

INITIAL {
    u = 0
    V = v
    net_send(0, 1)      : arms the spike detector at t = 0
}

BREAKPOINT {
    SOLVE recovery METHOD derivimplicit
    V = v
    i = -0.001 * (0.04*v*v + f*v + g - u + Iin)
}

DERIVATIVE recovery {
    u' = a*(b*v - u)
}

NET_RECEIVE (w) {
    if (flag == 1) {
        WATCH (v > thresh) 2
    } else if (flag == 2) {
        net_event(t)
        v = c
        u = u + d
    }
}
