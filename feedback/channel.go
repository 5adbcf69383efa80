package feedback

import "slices"

// A Channel is the way a piece of feedback reached the organisation. Its
// string value is what the complaints hand-off receives.
type Channel string

// The channels feedback arrives through.
const (
	ChannelPhone            Channel = "phone"
	ChannelEmail            Channel = "email"
	ChannelLetter           Channel = "letter"
	ChannelFaceToFace       Channel = "face-to-face"
	ChannelOnlineForm       Channel = "online-form"
	ChannelSurvey           Channel = "survey"
	ChannelSocial           Channel = "social"
	ChannelFeedbackForm     Channel = "feedback-form"
	ChannelMysteryShopper   Channel = "mystery-shopper"
	ChannelStaffObservation Channel = "staff-observation"
)

var channels = []Channel{
	ChannelPhone, ChannelEmail, ChannelLetter, ChannelFaceToFace, ChannelOnlineForm,
	ChannelSurvey, ChannelSocial, ChannelFeedbackForm, ChannelMysteryShopper, ChannelStaffObservation,
}

// Channels returns every channel, in a fixed order.
func Channels() []Channel { return slices.Clone(channels) }

// Valid reports whether c is one of the defined channels.
func (c Channel) Valid() bool { return slices.Contains(channels, c) }
