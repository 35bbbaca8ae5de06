COMMENT
Izhi2003a: Izhikevich's 2003 "simple model" as a self-contained point neuron. It keeps its own
membrane potential V (the section that hosts it is only a place holder and is not touched), takes
synaptic input from NetCons aimed at it, and emits events NetCons can carry to other cells.
Written for NetLoom (MIT licence) from the equations published in

  E. M. Izhikevich (2003) Simple model of spiking neurons.
  IEEE Transactions on Neural Networks 14(6):1569-1572.

    dV/dt = 0.04 V^2 + f V + g - u + Iin - gsyn (V - erev)     (f = 5, g = 140 in the paper)
    du/dt = a (b V - u)
    when V exceeds thresh (30 mV):  V <- c,  u <- u + d

plus one synaptic conductance: each incoming event of weight w adds w to gsyn, which decays as
dgsyn/dt = -gsyn / taug.

Names, defaults and initial state follow the models NetPyNE users write for a mechanism of this
name (they use vref 'V'): a, b, c, d, f, g, Iin, taug, thresh, erev, fflag (unused, kept so models
that set it still load); V starts at -65 mV, u and gsyn at 0.
ENDCOMMENT

NEURON {
    POINT_PROCESS Izhi2003a
    RANGE a, b, c, d, f, g, Iin, taug, thresh, erev, fflag
}

UNITS {
    (mV) = (millivolt)
}

PARAMETER {
    a = 0.02 (/ms)
    b = 0.2 (/ms)
    c = -65 (mV)
    d = 2 (mV/ms)
    f = 5 (/ms)
    g = 140 (mV/ms)
    Iin = 10 (mV/ms)
    taug = 1 (ms)       : decay of the synaptic conductance
    thresh = 30 (mV)
    erev = 0 (mV)       : reversal potential of the synaptic conductance
    fflag = 1
}

STATE {
    V (mV)
    u (mV/ms)
    gsyn (/ms)
}

INITIAL {
    V = -65
    u = 0
    gsyn = 0
    net_send(0, 1)      : arms the spike detector at t = 0
}

BREAKPOINT {
    SOLVE dynamics METHOD derivimplicit
}

DERIVATIVE dynamics {
    V' = 0.04*V*V + f*V + g - u + Iin - gsyn*(V - erev)
    u' = a*(b*V - u)
    gsyn' = -gsyn/taug
}

NET_RECEIVE (w) {
    if (flag == 1) {
        WATCH (V > thresh) 2
    } else if (flag == 2) {
        net_event(t)
        V = c
        u = u + d
    } else {
        gsyn = gsyn + w
    }
}
